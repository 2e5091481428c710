import { type Collection, defineRecipe, deltaR, DisplayTableBuilder, type EventBatch, feature, featureGroup, type FeatureRows, MEV_PER_GEV, type Recipe, type RecipeInput } from '@/lib/pipeline/recipes';

export type LargeRJetOptions = Pick<RecipeInput, 'dataset' | 'version' | 'title' | 'luminosityFb' | 'samples' | 'dsidTable' | 'sumOfWeightsFallback' | 'split' | 'weights' | 'variations'> & {
  description?: string;
  /** Large-R jet pT window and |η| (GeV); the ATLAS top-tagging release takes 350–3500 GeV, |η| < 2. */
  ptMinGeV?: number;
  ptMaxGeV?: number;
  absEtaMax?: number;
  /** Track constituents kept per jet (pT-ordered, padded with the missing value). */
  constituents?: number;
  /** Small-R jets kept per large-R jet as subjets. */
  subjets?: number;
};

export const MISSING = -999;
/** Radius of the large-R jets (anti-kt R = 1.0): tracks and small-R jets within it belong to the jet. */
export const JET_RADIUS = 1.0;
/** Tracks entering the constituents: pT > 500 MeV, |η| < 2.5. */
export const TRACK_PT_MIN_MEV = 500;
export const TRACK_ABS_ETA_MAX = 2.5;

/** Track pT (MeV) from the perigee parameters: |sin θ / (q/p)|. */
export function trackPt(qOverP: number, theta: number): number {
  return Math.abs(Math.sin(theta) / qOverP);
}

/** Track pseudorapidity from the polar angle: −ln tan(θ/2). */
export function trackEta(theta: number): number {
  return -Math.log(Math.tan(theta / 2));
}

const SUBSTRUCTURE = ['Tau1_wta', 'Tau2_wta', 'Tau3_wta', 'C2', 'D2', 'ECF1', 'ECF2', 'ECF3', 'Split12', 'Split23', 'Qw'] as const;
const SUBSTRUCTURE_UNITS: Record<(typeof SUBSTRUCTURE)[number], string> = {
  Tau1_wta: 'dimensionless', Tau2_wta: 'dimensionless', Tau3_wta: 'dimensionless', C2: 'dimensionless', D2: 'dimensionless',
  ECF1: 'MeV', ECF2: 'MeV^2', ECF3: 'MeV^3', Split12: 'MeV', Split23: 'MeV', Qw: 'MeV',
};

type Constituent = { pt: number; eta: number; phi: number; e: number };

/** Per row: the tracks (pT > 500 MeV, |η| < 2.5) within ΔR < 1.0 of the large-R jet axis, hardest first. */
function constituentsOf(events: EventBatch, rows: FeatureRows): Constituent[][] {
  return events.memo('constituents', () => {
    const jets = events.collection('largeRJets');
    const tracks = events.collection('tracks');
    const q = tracks.fields.qOverP as ArrayLike<number>;
    const theta = tracks.fields.theta as ArrayLike<number>;
    const phi = tracks.fields.phi as ArrayLike<number>;
    return Array.from({ length: rows.count }, (_, r) => {
      const e = rows.event[r] as number;
      const k = rows.object?.[r] as number;
      const jetEta = jets.fields.eta?.[k] as number;
      const jetPhi = jets.fields.phi?.[k] as number;
      const out: Constituent[] = [];
      for (let t = tracks.offsets[e] as number; t < (tracks.offsets[e + 1] as number); t++) {
        const eta = trackEta(theta[t] as number);
        if (deltaR(eta, phi[t] as number, jetEta, jetPhi) >= JET_RADIUS) continue;
        const pt = trackPt(q[t] as number, theta[t] as number);
        out.push({ pt, eta, phi: phi[t] as number, e: pt * Math.cosh(eta) });
      }
      return out.sort((a, b) => b.pt - a.pt);
    });
  });
}

/** Per row: the small-R jets within ΔR < 1.0 of the large-R jet axis, in their stored (pT) order. */
function subjetsOf(events: EventBatch, rows: FeatureRows): number[][] {
  return events.memo('subjets', () => {
    const jets = events.collection('largeRJets');
    const small = events.collection('jets');
    return Array.from({ length: rows.count }, (_, r) => {
      const e = rows.event[r] as number;
      const k = rows.object?.[r] as number;
      const out: number[] = [];
      for (let j = small.offsets[e] as number; j < (small.offsets[e + 1] as number); j++) {
        if (deltaR(small.fields.eta?.[j] as number, small.fields.phi?.[j] as number, jets.fields.eta?.[k] as number, jets.fields.phi?.[k] as number) < JET_RADIUS) out.push(j);
      }
      return out;
    });
  });
}

const ofJet = (c: Collection, field: string, rows: FeatureRows) => Float64Array.from(rows.object ?? [], (k) => c.fields[field]?.[k] as number);

/**
 * Large-R jet tagging in the style of the ATLAS top-tagging open data: one row per large-R jet (anti-kt R = 1.0,
 * UFO CSSK, as PHYSLITE stores them) with pT in [350, 3500] GeV and |η| < 2; its kinematics and the substructure
 * variables PHYSLITE carries (τ1–3 WTA and their ratios, C2, D2, ECF1–3, splitting scales, Qw), and constituent-level
 * features padded to N: PHYSLITE does not keep the jets' UFO constituents, so the constituents are the inner-detector
 * tracks (pT > 500 MeV) within ΔR < 1.0 of the jet axis, hardest first, plus the small-R jets inside it as subjets.
 * Kinematics in MeV as in the release; missing value −999.
 */
export function largeRJetRecipe(options: LargeRJetOptions): Recipe {
  const n = options.constituents ?? 20;
  const nSub = options.subjets ?? 3;
  const slots = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
  const constituentColumns = (events: EventBatch, rows: FeatureRows, pick: (c: Constituent) => number) =>
    Array.from({ length: n }, (_, slot) => Float64Array.from(constituentsOf(events, rows), (cs) => (cs[slot] ? pick(cs[slot] as Constituent) : MISSING)));
  const subjetColumns = (events: EventBatch, rows: FeatureRows, field: string) => {
    const small = events.collection('jets');
    return Array.from({ length: nSub }, (_, slot) => Float64Array.from(subjetsOf(events, rows), (js) => (js[slot] !== undefined ? (small.fields[field]?.[js[slot] as number] as number) : MISSING)));
  };
  const ratio = (events: EventBatch, rows: FeatureRows, top: string, bottom: string) => {
    const jets = events.collection('largeRJets');
    return Float64Array.from(rows.object ?? [], (k) => {
      const b = jets.fields[bottom]?.[k] as number;
      return b > 0 ? (jets.fields[top]?.[k] as number) / b : MISSING;
    });
  };
  return defineRecipe({
    name: 'large-r-jets',
    dataset: options.dataset,
    version: options.version,
    title: options.title,
    description: `${options.description ? `${options.description} ` : ''}Large-R jet tagging from ATLAS PHYSLITE, one row per large-R jet, in the style of the ATLAS top-tagging open data (kinematics in MeV).`,
    luminosityFb: options.luminosityFb,
    samples: options.samples,
    dsidTable: options.dsidTable,
    sumOfWeightsFallback: options.sumOfWeightsFallback,
    collections: {
      largeRJets: {
        branch: 'AnalysisLargeRJetsAuxDyn',
        fields: ['pt', 'eta', 'phi', 'm', ...SUBSTRUCTURE],
        select: { ptMinGeV: options.ptMinGeV ?? 350, ptMaxGeV: options.ptMaxGeV ?? 3500, absEtaMax: options.absEtaMax ?? 2 },
      },
      tracks: {
        branch: 'InDetTrackParticlesAuxDyn',
        fields: ['qOverP', 'theta', 'phi'],
        select: {
          where: (c) => Uint8Array.from(c.fields.qOverP as ArrayLike<number>, (q, t) => {
            const theta = c.fields.theta?.[t] as number;
            return q !== 0 && trackPt(q, theta) > TRACK_PT_MIN_MEV && Math.abs(trackEta(theta)) < TRACK_ABS_ETA_MAX ? 1 : 0;
          }),
        },
      },
      jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt', 'eta', 'phi', 'm'], select: { ptMinGeV: 20, absEtaMax: 4.5 } },
    },
    select: (events) => {
      const jets = events.collection('largeRJets');
      return Uint8Array.from({ length: events.length }, (_, e) => ((jets.offsets[e + 1] as number) > (jets.offsets[e] as number) ? 1 : 0));
    },
    rows: { objects: 'largeRJets' },
    features: [
      featureGroup(['fjet_pt', 'fjet_eta', 'fjet_phi', 'fjet_m'], { unit: ['MeV', 'dimensionless', 'rad', 'MeV'], description: ['Large-R jet transverse momentum.', 'Large-R jet pseudorapidity.', 'Large-R jet azimuth.', 'Large-R jet mass.'] }, (events, rows) => {
        const jets = events.collection('largeRJets');
        return ['pt', 'eta', 'phi', 'm'].map((f) => ofJet(jets, f, rows));
      }),
      featureGroup(SUBSTRUCTURE.map((s) => `fjet_${s}`), { unit: SUBSTRUCTURE.map((s) => SUBSTRUCTURE_UNITS[s]), description: SUBSTRUCTURE.map((s) => `${s} of the large-R jet, as PHYSLITE stores it (AnalysisLargeRJetsAuxDyn.${s}).`) }, (events, rows) => {
        const jets = events.collection('largeRJets');
        return SUBSTRUCTURE.map((s) => ofJet(jets, s, rows));
      }),
      featureGroup(['fjet_Tau21_wta', 'fjet_Tau32_wta'], { unit: 'dimensionless', description: ['τ21 = τ2/τ1 (−999 when τ1 = 0); low for two-prong jets.', 'τ32 = τ3/τ2 (−999 when τ2 = 0); low for three-prong (top) jets.'] }, (events, rows) => [
        ratio(events, rows, 'Tau2_wta', 'Tau1_wta'),
        ratio(events, rows, 'Tau3_wta', 'Tau2_wta'),
      ]),
      feature('fjet_n_trk', { unit: 'dimensionless', description: 'Tracks (pT > 500 MeV, |η| < 2.5) within ΔR < 1.0 of the jet axis.', type: 'int32' }, (events, rows) => Int32Array.from(constituentsOf(events, rows), (cs) => cs.length)),
      featureGroup(slots('fjet_trk_pt', n), { unit: 'MeV', description: 'pT of the track constituent of this rank (−999: none)' }, (events, rows) => constituentColumns(events, rows, (c) => c.pt)),
      featureGroup(slots('fjet_trk_eta', n), { unit: 'dimensionless', description: 'η of the track constituent of this rank (−999: none)' }, (events, rows) => constituentColumns(events, rows, (c) => c.eta)),
      featureGroup(slots('fjet_trk_phi', n), { unit: 'rad', description: 'φ of the track constituent of this rank (−999: none)' }, (events, rows) => constituentColumns(events, rows, (c) => c.phi)),
      featureGroup(slots('fjet_trk_E', n), { unit: 'MeV', description: 'Energy (massless) of the track constituent of this rank (−999: none)' }, (events, rows) => constituentColumns(events, rows, (c) => c.e)),
      featureGroup([...slots('fjet_subjet_pt', nSub), ...slots('fjet_subjet_eta', nSub), ...slots('fjet_subjet_phi', nSub)], {
        unit: [...slots('', nSub).map(() => 'MeV'), ...slots('', nSub).map(() => 'dimensionless'), ...slots('', nSub).map(() => 'rad')],
        description: 'Small-R jet (pT > 20 GeV) inside the large-R jet (ΔR < 1.0), by rank (−999: none)',
      }, (events, rows) => [...subjetColumns(events, rows, 'pt'), ...subjetColumns(events, rows, 'eta'), ...subjetColumns(events, rows, 'phi')]),
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
        out.add(id, 'large_r_jet', (f.fjet_pt?.[row] as number) / MEV_PER_GEV, f.fjet_eta?.[row] as number, f.fjet_phi?.[row] as number, (f.fjet_m?.[row] as number) / MEV_PER_GEV);
        for (let s = 0; s < nSub; s++) {
          const pt = f[`fjet_subjet_pt_${s}`]?.[row] as number;
          if (pt > 0) out.add(id, 'jet', pt / MEV_PER_GEV, f[`fjet_subjet_eta_${s}`]?.[row] as number, f[`fjet_subjet_phi_${s}`]?.[row] as number);
        }
      }
      return out.build();
    },
    notes: ['PHYSLITE keeps no UFO constituents of the large-R jets (their constituentLinks point to a container it does not store): the constituent features are tracks within ΔR < 1.0 of the jet axis.'],
    parameters: { ptMinGeV: options.ptMinGeV ?? 350, ptMaxGeV: options.ptMaxGeV ?? 3500, absEtaMax: options.absEtaMax ?? 2, constituents: n, subjets: nSub, jetRadius: JET_RADIUS, trackPtMinMeV: TRACK_PT_MIN_MEV, trackAbsEtaMax: TRACK_ABS_ETA_MAX },
  });
}
