import { FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, type PriColumnName } from '@/lib/pipeline/features/der-features';

/** A jagged PHYSLITE collection variable: values + per-event offsets (as the ROOT reader returns vectors). */
export type Jagged = { values: ArrayLike<number>; offsets: Int32Array };

export type PhysliteEventColumns = {
  electrons: { pt: Jagged; eta: Jagged; phi: Jagged; charge: Jagged };
  muons: { pt: Jagged; eta: Jagged; phi: Jagged; charge: Jagged };
  taus: { pt: Jagged; eta: Jagged; phi: Jagged; charge: Jagged };
  jets: { pt: Jagged; eta: Jagged; phi: Jagged };
};

/** Object selection of the lepton + hadronic-tau channel (GeV). */
export type LepHadSelection = {
  leptonPtMin: number;
  leptonEtaMax: number;
  tauPtMin: number;
  tauEtaMax: number;
  /** Jets counted in PRI_n_jets / PRI_jet_all_pt and the leading / subleading slots. */
  jetPtMin: number;
  jetEtaMax: number;
  /** ΔR below which a tau or jet overlapping the chosen lepton (and a jet the chosen tau) is removed. */
  overlapDeltaR: number;
  requireOppositeCharge: boolean;
  /** Objects entering the MET approximation: jets above this pT (GeV). */
  metJetPtMin: number;
};

export const DEFAULT_LEP_HAD_SELECTION: LepHadSelection = {
  leptonPtMin: 20,
  leptonEtaMax: 2.5,
  tauPtMin: 20,
  tauEtaMax: 2.5,
  jetPtMin: 26,
  jetEtaMax: 4.5,
  overlapDeltaR: 0.4,
  requireOppositeCharge: true,
  metJetPtMin: 20,
};

/** How MET is approximated from PHYSLITE (written into the manifest). */
export const PHYSLITE_MET_APPROXIMATION =
  'PRI_met is approximated as minus the vector sum of the calibrated hard objects of the event: all electrons, muons and tau jets, ' +
  'and the jets above metJetPtMin that do not overlap (ΔR < overlapDeltaR) the chosen lepton or tau. No soft term and no MET-maker ' +
  'overlap removal (PHYSLITE stores only the MET core terms and the association map; rebuilding the MET needs the ATLAS MET tool).';

const MEV_PER_GEV = 1000;

function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  let dPhi = Math.abs(phi1 - phi2);
  if (dPhi > Math.PI) dPhi = 2 * Math.PI - dPhi;
  return Math.sqrt((eta1 - eta2) ** 2 + dPhi * dPhi);
}

export type LepHadFeatures = {
  /** Input event index of each selected event. */
  events: Int32Array;
  pri: Record<PriColumnName, Float32Array>;
  /** 'electron' | 'muon' per selected event. */
  leptonFlavour: string[];
};

/**
 * HiggsML-style primary features of the lepton + hadronic-tau channel from PHYSLITE collections (MeV → GeV).
 * Per event: the leading electron or muon passing pT/|η| is the lepton; the leading tau jet passing pT/|η| and
 * ΔR > overlapDeltaR from the lepton (and, if asked, of opposite charge) is the hadronic tau; events without both are
 * dropped. Jets passing pT/|η| and ΔR > overlapDeltaR from both fill PRI_n_jets, PRI_jet_all_pt and the leading /
 * subleading slots (−25 when absent). MET: {@link PHYSLITE_MET_APPROXIMATION}.
 */
export function computeLepHadFeatures(
  columns: PhysliteEventColumns,
  selection: LepHadSelection = DEFAULT_LEP_HAD_SELECTION,
  /** A soft-MET variation's noise per event (MeV), added to the approximated MET. */
  metNoise: { x: ArrayLike<number>; y: ArrayLike<number> } | null = null,
): LepHadFeatures {
  const nEvents = columns.jets.pt.offsets.length - 1;
  const rows: number[][] = PRI_COLUMN_NAMES.map(() => []);
  const index = Object.fromEntries(PRI_COLUMN_NAMES.map((name, i) => [name, i])) as Record<PriColumnName, number>;
  const events: number[] = [];
  const flavours: string[] = [];
  const value = (j: Jagged, k: number) => j.values[k] as number;
  for (let e = 0; e < nEvents; e++) {
    let lepton: { pt: number; eta: number; phi: number; charge: number; flavour: string } | null = null;
    for (const [flavour, c] of [['electron', columns.electrons], ['muon', columns.muons]] as const) {
      for (let k = c.pt.offsets[e] as number; k < (c.pt.offsets[e + 1] as number); k++) {
        const pt = value(c.pt, k) / MEV_PER_GEV;
        if (pt > selection.leptonPtMin && Math.abs(value(c.eta, k)) < selection.leptonEtaMax && (!lepton || pt > lepton.pt)) {
          lepton = { pt, eta: value(c.eta, k), phi: value(c.phi, k), charge: value(c.charge, k), flavour };
        }
      }
    }
    if (!lepton) continue;
    let tau: { pt: number; eta: number; phi: number } | null = null;
    const t = columns.taus;
    for (let k = t.pt.offsets[e] as number; k < (t.pt.offsets[e + 1] as number); k++) {
      const pt = value(t.pt, k) / MEV_PER_GEV;
      const eta = value(t.eta, k);
      const phi = value(t.phi, k);
      if (pt <= selection.tauPtMin || Math.abs(eta) >= selection.tauEtaMax) continue;
      if (deltaR(eta, phi, lepton.eta, lepton.phi) < selection.overlapDeltaR) continue;
      if (selection.requireOppositeCharge && value(t.charge, k) * lepton.charge >= 0) continue;
      if (!tau || pt > tau.pt) tau = { pt, eta, phi };
    }
    if (!tau) continue;
    const jets: { pt: number; eta: number; phi: number }[] = [];
    let metX = 0;
    let metY = 0;
    for (const c of [columns.electrons, columns.muons, columns.taus]) {
      for (let k = c.pt.offsets[e] as number; k < (c.pt.offsets[e + 1] as number); k++) {
        metX -= (value(c.pt, k) / MEV_PER_GEV) * Math.cos(value(c.phi, k));
        metY -= (value(c.pt, k) / MEV_PER_GEV) * Math.sin(value(c.phi, k));
      }
    }
    const j = columns.jets;
    for (let k = j.pt.offsets[e] as number; k < (j.pt.offsets[e + 1] as number); k++) {
      const pt = value(j.pt, k) / MEV_PER_GEV;
      const eta = value(j.eta, k);
      const phi = value(j.phi, k);
      if (deltaR(eta, phi, lepton.eta, lepton.phi) < selection.overlapDeltaR || deltaR(eta, phi, tau.eta, tau.phi) < selection.overlapDeltaR) continue;
      if (pt > selection.metJetPtMin) {
        metX -= pt * Math.cos(phi);
        metY -= pt * Math.sin(phi);
      }
      if (pt > selection.jetPtMin && Math.abs(eta) < selection.jetEtaMax) jets.push({ pt, eta, phi });
    }
    if (metNoise) {
      metX += (metNoise.x[e] as number) / MEV_PER_GEV;
      metY += (metNoise.y[e] as number) / MEV_PER_GEV;
    }
    jets.sort((a, b) => b.pt - a.pt);
    const put = (name: PriColumnName, v: number) => (rows[index[name]] as number[]).push(v);
    put('PRI_lep_pt', lepton.pt);
    put('PRI_lep_eta', lepton.eta);
    put('PRI_lep_phi', lepton.phi);
    put('PRI_had_pt', tau.pt);
    put('PRI_had_eta', tau.eta);
    put('PRI_had_phi', tau.phi);
    const [j1, j2] = jets;
    put('PRI_jet_leading_pt', j1 ? j1.pt : FAIR_MISSING_VALUE);
    put('PRI_jet_leading_eta', j1 ? j1.eta : FAIR_MISSING_VALUE);
    put('PRI_jet_leading_phi', j1 ? j1.phi : FAIR_MISSING_VALUE);
    put('PRI_jet_subleading_pt', j2 ? j2.pt : FAIR_MISSING_VALUE);
    put('PRI_jet_subleading_eta', j2 ? j2.eta : FAIR_MISSING_VALUE);
    put('PRI_jet_subleading_phi', j2 ? j2.phi : FAIR_MISSING_VALUE);
    put('PRI_n_jets', jets.length);
    put('PRI_jet_all_pt', jets.reduce((s, x) => s + x.pt, 0));
    put('PRI_met', Math.sqrt(metX * metX + metY * metY));
    put('PRI_met_phi', Math.atan2(metY, metX));
    events.push(e);
    flavours.push(lepton.flavour);
  }
  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name, i) => [name, Float32Array.from(rows[i] as number[])])) as Record<PriColumnName, Float32Array>;
  return { events: Int32Array.from(events), pri, leptonFlavour: flavours };
}

/** Branches the lep-had features read, by role. */
export const PHYSLITE_LEP_HAD_BRANCHES = {
  electrons: ['AnalysisElectronsAuxDyn.pt', 'AnalysisElectronsAuxDyn.eta', 'AnalysisElectronsAuxDyn.phi', 'AnalysisElectronsAuxDyn.charge'],
  muons: ['AnalysisMuonsAuxDyn.pt', 'AnalysisMuonsAuxDyn.eta', 'AnalysisMuonsAuxDyn.phi', 'AnalysisMuonsAuxDyn.charge'],
  taus: ['AnalysisTauJetsAuxDyn.pt', 'AnalysisTauJetsAuxDyn.eta', 'AnalysisTauJetsAuxDyn.phi', 'AnalysisTauJetsAuxDyn.charge'],
  jets: ['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.eta', 'AnalysisJetsAuxDyn.phi'],
  event: ['EventInfoAuxDyn.mcEventWeights', 'EventInfoAuxDyn.mcChannelNumber', 'EventInfoAuxDyn.eventNumber'],
} as const;
