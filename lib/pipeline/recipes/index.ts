/**
 * The recipe kit: what a recipe module (recipes/<name>/recipe.ts) imports. `defineRecipe` validates a recipe when it is
 * loaded; the helpers compute features over columnar, jagged collections (leading-N padded to N, invariant masses, ΔR,
 * Δφ, transverse mass, counts, sums, overlap removal). The engine (plan, parts, merge, queue steps) is not exported here.
 */
export { defineRecipe, describeSchemaIssues, feature, featureGroup, type DsidRow, type ObjectCuts, type Recipe, type RecipeInput, type RecipeSample, type RecipeVariation } from './define-recipe';
export { EventBatch, type FeatureRows, type MetNoise, missingTransverseMomentum } from './event-batch';
export { type Collection, collectionFromLists, counts, eventCount, fieldOf, filterObjects, type NumberColumn, objectCount, sortObjects, takeEvents } from './columnar/collection';
export { leading, maxPerEvent, sumPerEvent } from './columnar/reductions';
export { removeOverlaps } from './columnar/overlap-removal';
export {
  boostToRestFrame, cross, deltaPhi, deltaR, dot, etaOf, type FourMomentum, fourMomentum, invariantMass, massOf, MEV_PER_GEV, phiOf, ptOf, rapidityOf, sumFourMomenta, transverseMass, unitVector,
} from './columnar/kinematics';
export { DisplayTableBuilder, type DisplayTable } from '@/lib/shared/display/display-objects';
