import { defineRecipe, DisplayTableBuilder, type EventBatch, feature, featureGroup, fourMomentum, leading, massOf, MEV_PER_GEV, type Recipe, type RecipeInput, sumFourMomenta } from '@/lib/pipeline/recipes';
import { channelOf, chooseQuadruplet, DEFAULT_FOUR_LEPTON_CUTS, type FourLeptonCuts, fourLeptonObservables, type Lepton, MUON_MASS_MEV, type Quadruplet } from './four-lepton';

export type Hzz4lOptions = Pick<RecipeInput, 'dataset' | 'version' | 'title' | 'luminosityFb' | 'samples' | 'dsidTable' | 'sumOfWeightsFallback' | 'split' | 'weights' | 'variations'> & {
  description?: string;
  cuts?: Partial<FourLeptonCuts>;
  /** Object selection (GeV): electrons and muons entering the quadruplet, jets counted. */
  electronPtMinGeV?: number;
  muonPtMinGeV?: number;
  jetPtMinGeV?: number;
  /** Muon quality at most this (0 Tight, 1 Medium, 2 Loose, 3 VeryLoose). */
  muonMaxQuality?: number;
};

export const MISSING = -999;
const GEV = 1 / MEV_PER_GEV;
const LEPTON_SLOTS = 4;

function leptonsOf(events: EventBatch, e: number): Lepton[] {
  const out: Lepton[] = [];
  const el = events.collection('electrons');
  for (let k = el.offsets[e] as number; k < (el.offsets[e + 1] as number); k++) {
    out.push({ flavour: 11, charge: el.fields.charge?.[k] as number, pt: el.fields.pt?.[k] as number, eta: el.fields.eta?.[k] as number, phi: el.fields.phi?.[k] as number, m: el.fields.m?.[k] as number });
  }
  const mu = events.collection('muons');
  for (let k = mu.offsets[e] as number; k < (mu.offsets[e + 1] as number); k++) {
    out.push({ flavour: 13, charge: mu.fields.charge?.[k] as number, pt: mu.fields.pt?.[k] as number, eta: mu.fields.eta?.[k] as number, phi: mu.fields.phi?.[k] as number, m: MUON_MASS_MEV });
  }
  return out;
}

/**
 * H→ZZ*→4ℓ, the flagship analysis of the ATLAS open-data notebooks: four leptons in two same-flavour opposite-charge
 * pairs (electrons: LH Loose, pT > 7 GeV, |η| < 2.47; muons: Loose, pT > 5 GeV, |η| < 2.7), the quadruplet whose Z1
 * is closest to mZ, m4ℓ, mZ1, mZ2, the production and decay angles, the leptons and the jets (pT > 30 GeV, outside
 * ΔR 0.2 of a selected lepton). One row per selected event; missing value −999.
 */
export function hzz4lRecipe(options: Hzz4lOptions): Recipe {
  const cuts: FourLeptonCuts = { ...DEFAULT_FOUR_LEPTON_CUTS, ...options.cuts };
  const muonMaxQuality = options.muonMaxQuality ?? 2;
  const quadruplets = (events: EventBatch): (Quadruplet | null)[] => events.memo('quadruplets', () => Array.from({ length: events.length }, (_, e) => chooseQuadruplet(leptonsOf(events, e), cuts)));
  const observables = (events: EventBatch) => events.memo('observables', () => quadruplets(events).map((q) => (q ? fourLeptonObservables(q) : null)));
  const column = (events: EventBatch, pick: (o: NonNullable<ReturnType<typeof fourLeptonObservables>>) => number) => Float64Array.from(observables(events), (o) => (o ? pick(o) : MISSING));
  const sortedLeptons = (events: EventBatch) => events.memo('leptons', () => quadruplets(events).map((q) => (q ? [...q.z1, ...q.z2].sort((a, b) => b.pt - a.pt) : [])));
  const leptonColumns = (events: EventBatch, field: 'pt' | 'eta' | 'phi' | 'charge' | 'flavour', scale: number) =>
    Array.from({ length: LEPTON_SLOTS }, (_, slot) => Float64Array.from(sortedLeptons(events), (ls) => (ls[slot] ? (ls[slot] as Lepton)[field] * scale : MISSING)));
  const slotNames = (prefix: string) => Array.from({ length: LEPTON_SLOTS }, (_, i) => `${prefix}_${i}`);
  return defineRecipe({
    name: 'hzz-4l',
    dataset: options.dataset,
    version: options.version,
    title: options.title,
    description: `${options.description ? `${options.description} ` : ''}H→ZZ*→4ℓ from ATLAS PHYSLITE: two same-flavour opposite-charge lepton pairs (GeV; angles after Gao et al., PRD 81 (2010) 075022).`,
    luminosityFb: options.luminosityFb,
    samples: options.samples,
    dsidTable: options.dsidTable,
    sumOfWeightsFallback: options.sumOfWeightsFallback,
    collections: {
      electrons: { branch: 'AnalysisElectronsAuxDyn', fields: ['pt', 'eta', 'phi', 'm', 'charge', 'DFCommonElectronsLHLoose'], select: { ptMinGeV: options.electronPtMinGeV ?? 7, absEtaMax: 2.47, flags: ['DFCommonElectronsLHLoose'] } },
      muons: {
        branch: 'AnalysisMuonsAuxDyn',
        fields: ['pt', 'eta', 'phi', 'charge', 'quality'],
        select: { ptMinGeV: options.muonPtMinGeV ?? 5, absEtaMax: 2.7, where: (c) => Uint8Array.from(c.fields.quality as ArrayLike<number>, (q) => (q <= muonMaxQuality ? 1 : 0)) },
      },
      jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt', 'eta', 'phi', 'm'], select: { ptMinGeV: options.jetPtMinGeV ?? 30, absEtaMax: 4.5 } },
    },
    overlapRemoval: [
      { remove: 'jets', near: 'electrons', deltaR: 0.2 },
      { remove: 'jets', near: 'muons', deltaR: 0.2 },
    ],
    select: (events) => Uint8Array.from(quadruplets(events), (q) => (q ? 1 : 0)),
    features: [
      featureGroup(['m4l', 'mZ1', 'mZ2', 'pt4l'], { unit: 'GeV', description: ['Invariant mass of the four leptons.', 'Mass of the same-flavour opposite-charge pair closest to mZ (Z1).', 'Mass of the other pair (Z2).', 'Transverse momentum of the four-lepton system.'] }, (events) => [
        column(events, (o) => o.m4l * GEV), column(events, (o) => o.mZ1 * GEV), column(events, (o) => o.mZ2 * GEV), column(events, (o) => o.pt4l * GEV),
      ]),
      feature('y4l', { unit: 'dimensionless', description: 'Rapidity of the four-lepton system.' }, (events) => column(events, (o) => o.y4l)),
      featureGroup(['cos_theta_star', 'cos_theta1', 'cos_theta2', 'phi_decay', 'phi1'], {
        unit: ['dimensionless', 'dimensionless', 'dimensionless', 'rad', 'rad'],
        description: [
          'cos θ*: Z1 direction against the beam axis in the four-lepton rest frame.',
          'cos θ1: negative lepton of Z1 against the direction opposite Z2, in the Z1 rest frame.',
          'cos θ2: negative lepton of Z2 against the direction opposite Z1, in the Z2 rest frame.',
          'Φ: signed angle between the Z1 and Z2 decay planes in the four-lepton rest frame.',
          'Φ1: signed angle between the Z1 decay plane and the plane of Z1 and the beam axis.',
        ],
      }, (events) => [column(events, (o) => o.cosThetaStar), column(events, (o) => o.cosTheta1), column(events, (o) => o.cosTheta2), column(events, (o) => o.phi), column(events, (o) => o.phi1)]),
      feature('channel', { unit: 'dimensionless', description: 'Channel: 0 4μ, 1 4e, 2 2μ2e (Z1 → μμ), 3 2e2μ (Z1 → ee).', type: 'int32' }, (events) => Int32Array.from(quadruplets(events), (q) => (q ? channelOf(q) : -1))),
      featureGroup(slotNames('lep_pt'), { unit: 'GeV', description: 'Transverse momentum of the quadruplet lepton of this pT rank' }, (events) => leptonColumns(events, 'pt', GEV)),
      featureGroup(slotNames('lep_eta'), { unit: 'dimensionless', description: 'Pseudorapidity of the quadruplet lepton of this pT rank' }, (events) => leptonColumns(events, 'eta', 1)),
      featureGroup(slotNames('lep_phi'), { unit: 'rad', description: 'Azimuth of the quadruplet lepton of this pT rank' }, (events) => leptonColumns(events, 'phi', 1)),
      featureGroup(slotNames('lep_charge'), { unit: 'e', description: 'Charge of the quadruplet lepton of this pT rank' }, (events) => leptonColumns(events, 'charge', 1)),
      featureGroup(slotNames('lep_flavour'), { unit: 'dimensionless', description: 'PDG id (11 electron, 13 muon) of the quadruplet lepton of this pT rank' }, (events) => leptonColumns(events, 'flavour', 1)),
      feature('n_jets', { unit: 'dimensionless', description: 'Jets with pT > 30 GeV, |η| < 4.5, outside ΔR 0.2 of every selected lepton.', type: 'int32' }, (events) => {
        const jets = events.collection('jets');
        return Int32Array.from({ length: events.length }, (_, e) => (jets.offsets[e + 1] as number) - (jets.offsets[e] as number));
      }),
      featureGroup(
        ['jet_pt_0', 'jet_pt_1', 'jet_eta_0', 'jet_eta_1', 'jet_phi_0', 'jet_phi_1'],
        {
          unit: ['GeV', 'GeV', 'dimensionless', 'dimensionless', 'rad', 'rad'],
          description: ['Leading jet pT (−999 without a jet).', 'Subleading jet pT (−999 with fewer than two jets).', 'Leading jet η.', 'Subleading jet η.', 'Leading jet φ.', 'Subleading jet φ.'],
        },
        (events) => {
          const jets = events.collection('jets');
          return [...leading(jets, 'pt', 2, MISSING, GEV), ...leading(jets, 'eta', 2, MISSING), ...leading(jets, 'phi', 2, MISSING)];
        },
      ),
      feature('m_jj', { unit: 'GeV', description: 'Invariant mass of the two leading jets (−999 with fewer than two).' }, (events) => {
        const jets = events.collection('jets');
        return Float64Array.from({ length: events.length }, (_, e) => {
          const k = jets.offsets[e] as number;
          if ((jets.offsets[e + 1] as number) - k < 2) return MISSING;
          const f = jets.fields;
          const j = [k, k + 1].map((i) => fourMomentum(f.pt?.[i] as number, f.eta?.[i] as number, f.phi?.[i] as number, f.m?.[i] as number));
          return massOf(sumFourMomenta(j)) * GEV;
        });
      }),
    ],
    missingValue: MISSING,
    weights: options.weights,
    split: options.split,
    variations: options.variations,
    display: (train) => {
      const out = new DisplayTableBuilder();
      const f = train.features;
      for (let row = 0; row < train.eventId.length; row++) {
        const id = train.eventId[row] as number;
        for (let slot = 0; slot < LEPTON_SLOTS; slot++) {
          const kind = f[`lep_flavour_${slot}`]?.[row] === 11 ? 'electron' : 'muon';
          out.add(id, kind, f[`lep_pt_${slot}`]?.[row] as number, f[`lep_eta_${slot}`]?.[row] as number, f[`lep_phi_${slot}`]?.[row] as number);
        }
        for (let j = 0; j < 2; j++) {
          const pt = f[`jet_pt_${j}`]?.[row] as number;
          if (pt > 0) out.add(id, 'jet', pt, f[`jet_eta_${j}`]?.[row] as number, f[`jet_phi_${j}`]?.[row] as number);
        }
      }
      return out.build();
    },
    parameters: { cuts, electronPtMinGeV: options.electronPtMinGeV ?? 7, muonPtMinGeV: options.muonPtMinGeV ?? 5, jetPtMinGeV: options.jetPtMinGeV ?? 30, muonMaxQuality },
  });
}
