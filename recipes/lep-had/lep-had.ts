import { DER_COLUMNS, FAIR_MISSING_VALUE, PRI_COLUMNS, computeDerFeatures, type PriColumns } from '@/lib/pipeline/features/der-features';
import { buildLepHadDisplayTable } from '@/lib/pipeline/display/lep-had-display-table';
import { type Collection, defineRecipe, type EventBatch, featureGroup, type Recipe, type RecipeInput } from '@/lib/pipeline/recipes';
import { computeLepHadFeatures, DEFAULT_LEP_HAD_SELECTION, type LepHadFeatures, type LepHadSelection, PHYSLITE_MET_APPROXIMATION, type PhysliteEventColumns } from './lep-had-features';

export type LepHadOptions = Pick<RecipeInput, 'dataset' | 'version' | 'title' | 'tree' | 'luminosityFb' | 'samples' | 'dsidTable' | 'sumOfWeightsFallback' | 'split' | 'weights' | 'variations' | 'licence' | 'citation'> & {
  name?: string;
  /** Free text before the standard description. */
  description?: string;
  selection?: Partial<LepHadSelection>;
};

const jagged = (c: Collection, field: string) => ({ values: c.fields[field] as ArrayLike<number>, offsets: c.offsets });

function columnsOf(events: EventBatch): PhysliteEventColumns {
  const four = (name: string) => {
    const c = events.collection(name);
    return { pt: jagged(c, 'pt'), eta: jagged(c, 'eta'), phi: jagged(c, 'phi'), charge: jagged(c, 'charge') };
  };
  const jets = events.collection('jets');
  return { electrons: four('electrons'), muons: four('muons'), taus: four('taus'), jets: { pt: jagged(jets, 'pt'), eta: jagged(jets, 'eta'), phi: jagged(jets, 'phi') } };
}

/**
 * The lepton + hadronic-tau recipe (HiggsML / FAIR-Universe features: 16 PRI and 12 DER columns in GeV, missing value
 * −25): the leading electron or muon, an opposite-charge hadronic tau outside ΔR 0.4, jets outside ΔR 0.4 of both, MET
 * approximated from the calibrated objects ({@link computeLepHadFeatures}). A factory, so that the built-in recipe and
 * the JSON recipes of `pipeline build recipe.json` are the same code.
 */
export function lepHadRecipe(options: LepHadOptions): Recipe {
  const selection: LepHadSelection = { ...DEFAULT_LEP_HAD_SELECTION, ...options.selection };
  const compute = (events: EventBatch): LepHadFeatures => events.memo('lep-had', () => computeLepHadFeatures(columnsOf(events), selection, events.metNoise));
  const four = ['pt', 'eta', 'phi', 'charge'];
  return defineRecipe({
    name: options.name ?? 'lep-had',
    dataset: options.dataset,
    version: options.version,
    title: options.title,
    description: `${options.description ? `${options.description} ` : ''}Built from ATLAS PHYSLITE with the lepton + hadronic-tau selection (HiggsML-style features in GeV).`,
    tree: options.tree,
    luminosityFb: options.luminosityFb,
    samples: options.samples,
    dsidTable: options.dsidTable,
    sumOfWeightsFallback: options.sumOfWeightsFallback,
    collections: {
      electrons: { branch: 'AnalysisElectronsAuxDyn', fields: four },
      muons: { branch: 'AnalysisMuonsAuxDyn', fields: four },
      taus: { branch: 'AnalysisTauJetsAuxDyn', fields: four },
      jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt', 'eta', 'phi'] },
    },
    select: (events) => {
      const mask = new Uint8Array(events.length);
      for (const e of compute(events).events) mask[e] = 1;
      return mask;
    },
    features: [
      featureGroup(
        PRI_COLUMNS.map((c) => c.name),
        { unit: PRI_COLUMNS.map((c) => c.unit), description: PRI_COLUMNS.map((c) => (c.name === 'PRI_met' ? `Missing transverse momentum (approximation): ${PHYSLITE_MET_APPROXIMATION}` : c.description)) },
        (events) => PRI_COLUMNS.map((c) => compute(events).pri[c.name]),
      ),
      featureGroup(
        DER_COLUMNS.map((c) => c.name),
        { unit: DER_COLUMNS.map((c) => c.unit), description: DER_COLUMNS.map((c) => c.description) },
        (events) => {
          const der = events.memo('der', () => computeDerFeatures(compute(events).pri as PriColumns, FAIR_MISSING_VALUE));
          return DER_COLUMNS.map((c) => der[c.name]);
        },
      ),
    ],
    missingValue: FAIR_MISSING_VALUE,
    weights: options.weights,
    split: options.split,
    variations: options.variations,
    display: (train) => buildLepHadDisplayTable(train.eventId, train.features as Record<string, Float32Array>, FAIR_MISSING_VALUE),
    licence: options.licence,
    citation: options.citation,
    notes: [PHYSLITE_MET_APPROXIMATION],
    parameters: { selection, metApproximation: PHYSLITE_MET_APPROXIMATION },
  });
}
