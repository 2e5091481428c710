import { defineRecipe, deltaR, type EventBatch, feature, featureGroup, fourMomentum, invariantMass, leading, MEV_PER_GEV, missingTransverseMomentum } from '@/lib/pipeline/recipes';

/**
 * An example recipe outside recipes/ (the one the README shows): Z → ee or μμ against tt̄. The leading two electrons
 * (else muons) of opposite charge, their mass and ΔR, the jets and the MET.
 * `npm run pipeline -- build examples/recipes/z-dilepton.ts --inputs <folder with zee/, ttbar/ and dsids.csv>`.
 */
const GEV = 1 / MEV_PER_GEV;

/** Per event: the collection and index of the first lepton of its pair, or null (the selection). */
const pairOf = (events: EventBatch) =>
  events.memo('pair', () =>
    Array.from({ length: events.length }, (_, e) => {
      for (const name of ['electrons', 'muons']) {
        const c = events.collection(name);
        const k = c.offsets[e] as number;
        const isPair = (c.offsets[e + 1] as number) - k >= 2 && (c.fields.charge?.[k] as number) * (c.fields.charge?.[k + 1] as number) < 0;
        if (isPair) return { leptons: c, k };
      }
      return null;
    }),
  );

export default defineRecipe({
  name: 'z-dilepton',
  dataset: 'z-dilepton',
  title: 'Z → ℓℓ from PHYSLITE (example)',
  luminosityFb: 140,
  samples: [
    { name: 'zll', files: ['zee/*.root'], label: 1, process: 'Zll' },
    { name: 'ttbar', files: ['ttbar/*.root'], label: 0, process: 'ttbar' },
  ],
  dsidTable: 'dsids.csv',
  collections: {
    electrons: { branch: 'AnalysisElectronsAuxDyn', fields: ['pt', 'eta', 'phi', 'charge', 'DFCommonElectronsLHMedium'], select: { ptMinGeV: 20, absEtaMax: 2.47, flags: ['DFCommonElectronsLHMedium'] } },
    muons: { branch: 'AnalysisMuonsAuxDyn', fields: ['pt', 'eta', 'phi', 'charge'], select: { ptMinGeV: 20, absEtaMax: 2.5 } },
    jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt', 'eta', 'phi'], select: { ptMinGeV: 25, absEtaMax: 4.5 } },
  },
  overlapRemoval: [{ remove: 'jets', near: 'electrons', deltaR: 0.2 }],
  select: (events) => pairOf(events).map((pair) => (pair ? 1 : 0)),
  features: [
    featureGroup(['m_ll', 'dr_ll'], { unit: ['GeV', 'dimensionless'], description: ['Mass of the lepton pair.', 'ΔR between the two leptons.'] }, (events) => {
      const pairs = pairOf(events);
      const mass = new Float64Array(events.length);
      const dr = new Float64Array(events.length);
      pairs.forEach((pair, e) => {
        if (!pair) return;
        const { pt, eta, phi } = pair.leptons.fields as Record<string, ArrayLike<number>>;
        const [a, b] = [pair.k, pair.k + 1];
        mass[e] = invariantMass([a, b].map((i) => fourMomentum(pt?.[i] as number, eta?.[i] as number, phi?.[i] as number))) * GEV;
        dr[e] = deltaR(eta?.[a] as number, phi?.[a] as number, eta?.[b] as number, phi?.[b] as number);
      });
      return [mass, dr];
    }),
    featureGroup(['jet_pt_0', 'jet_pt_1'], { unit: 'GeV', description: ['Leading jet pT (−999 without).', 'Subleading jet pT (−999 without).'] }, (events) => leading(events.collection('jets'), 'pt', 2, -999, GEV)),
    feature('n_jets', { unit: 'dimensionless', description: 'Jets (pT > 25 GeV) outside ΔR 0.2 of an electron.', type: 'int32' }, (events) => {
      const jets = events.collection('jets');
      return Int32Array.from({ length: events.length }, (_, e) => (jets.offsets[e + 1] as number) - (jets.offsets[e] as number));
    }),
    feature('met', { unit: 'GeV', description: 'MET as minus the vector sum of the selected leptons and jets (plus a soft-MET variation).' }, (events) => {
      const met = missingTransverseMomentum(events, ['electrons', 'muons', 'jets'].map((name) => events.collection(name)));
      return Float64Array.from(met.x, (x, e) => Math.hypot(x, met.y[e] as number) * GEV);
    }),
  ],
  missingValue: -999,
  weights: { negative: 'clip-to-zero' },
  variations: [
    { kind: 'scale', name: 'ees_up', collection: 'electrons', factor: 1.01 },
    { kind: 'resolution', name: 'jer', collection: 'jets', sigma: 0.05, seed: 1 },
    { kind: 'soft-met', name: 'soft_met', sigmaGeV: 5, seed: 1 },
  ],
});
