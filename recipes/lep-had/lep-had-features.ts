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

/** The row buffers of computeLepHadFeatures (see there). */
const scratch = { events: new Int32Array(0), columns: [] as Float32Array[] };

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
  // One pass over the events without an object per event or per jet: scalars for the lepton and the tau, and the
  // event's jets in growable typed buffers, sorted by descending pT by stable insertion. That is the order of a stable
  // sort by b.pt − a.pt (a NaN pT never passes the cut; two infinite ones compare equal in both), so the float sum of
  // PRI_jet_all_pt, taken in that order, is the same too.
  const nEvents = columns.jets.pt.offsets.length - 1;
  // Rows go into buffers kept between calls (one per column, grown to the largest batch), then are copied out at their
  // number: a batch selects a fraction of its events, and buffers of every event's size would be most of what a
  // build allocates.
  if (scratch.events.length < nEvents) {
    scratch.events = new Int32Array(nEvents);
    scratch.columns = PRI_COLUMN_NAMES.map(() => new Float32Array(nEvents));
  }
  const out = scratch.columns;
  const column = (name: PriColumnName) => out[PRI_COLUMN_NAMES.indexOf(name)] as Float32Array;
  const lepPt = column('PRI_lep_pt');
  const lepEta = column('PRI_lep_eta');
  const lepPhi = column('PRI_lep_phi');
  const hadPt = column('PRI_had_pt');
  const hadEta = column('PRI_had_eta');
  const hadPhi = column('PRI_had_phi');
  const j1Pt = column('PRI_jet_leading_pt');
  const j1Eta = column('PRI_jet_leading_eta');
  const j1Phi = column('PRI_jet_leading_phi');
  const j2Pt = column('PRI_jet_subleading_pt');
  const j2Eta = column('PRI_jet_subleading_eta');
  const j2Phi = column('PRI_jet_subleading_phi');
  const nJets = column('PRI_n_jets');
  const jetAllPt = column('PRI_jet_all_pt');
  const met = column('PRI_met');
  const metPhi = column('PRI_met_phi');
  const events = scratch.events;
  const flavours: string[] = [];
  let selected = 0;
  let jetPt = new Float64Array(16);
  let jetEta = new Float64Array(16);
  let jetPhi = new Float64Array(16);
  const { electrons, muons, taus, jets } = columns;
  for (let e = 0; e < nEvents; e++) {
    let hasLepton = false;
    let lPt = 0;
    let lEta = 0;
    let lPhi = 0;
    let lCharge = 0;
    let lFlavour = '';
    for (let f = 0; f < 2; f++) {
      const c = f === 0 ? electrons : muons;
      for (let k = c.pt.offsets[e] as number; k < (c.pt.offsets[e + 1] as number); k++) {
        const pt = (c.pt.values[k] as number) / MEV_PER_GEV;
        if (pt > selection.leptonPtMin && Math.abs(c.eta.values[k] as number) < selection.leptonEtaMax && (!hasLepton || pt > lPt)) {
          hasLepton = true;
          lPt = pt;
          lEta = c.eta.values[k] as number;
          lPhi = c.phi.values[k] as number;
          lCharge = c.charge.values[k] as number;
          lFlavour = f === 0 ? 'electron' : 'muon';
        }
      }
    }
    if (!hasLepton) continue;
    let hasTau = false;
    let tPt = 0;
    let tEta = 0;
    let tPhi = 0;
    for (let k = taus.pt.offsets[e] as number; k < (taus.pt.offsets[e + 1] as number); k++) {
      const pt = (taus.pt.values[k] as number) / MEV_PER_GEV;
      const eta = taus.eta.values[k] as number;
      const phi = taus.phi.values[k] as number;
      if (pt <= selection.tauPtMin || Math.abs(eta) >= selection.tauEtaMax) continue;
      if (deltaR(eta, phi, lEta, lPhi) < selection.overlapDeltaR) continue;
      if (selection.requireOppositeCharge && (taus.charge.values[k] as number) * lCharge >= 0) continue;
      if (!hasTau || pt > tPt) {
        hasTau = true;
        tPt = pt;
        tEta = eta;
        tPhi = phi;
      }
    }
    if (!hasTau) continue;
    let metX = 0;
    let metY = 0;
    for (let f = 0; f < 3; f++) {
      const c = f === 0 ? electrons : f === 1 ? muons : taus;
      for (let k = c.pt.offsets[e] as number; k < (c.pt.offsets[e + 1] as number); k++) {
        metX -= ((c.pt.values[k] as number) / MEV_PER_GEV) * Math.cos(c.phi.values[k] as number);
        metY -= ((c.pt.values[k] as number) / MEV_PER_GEV) * Math.sin(c.phi.values[k] as number);
      }
    }
    const jetStart = jets.pt.offsets[e] as number;
    const jetEnd = jets.pt.offsets[e + 1] as number;
    if (jetEnd - jetStart > jetPt.length) {
      jetPt = new Float64Array(2 * (jetEnd - jetStart));
      jetEta = new Float64Array(jetPt.length);
      jetPhi = new Float64Array(jetPt.length);
    }
    let count = 0;
    for (let k = jetStart; k < jetEnd; k++) {
      const pt = (jets.pt.values[k] as number) / MEV_PER_GEV;
      const eta = jets.eta.values[k] as number;
      const phi = jets.phi.values[k] as number;
      if (deltaR(eta, phi, lEta, lPhi) < selection.overlapDeltaR || deltaR(eta, phi, tEta, tPhi) < selection.overlapDeltaR) continue;
      if (pt > selection.metJetPtMin) {
        metX -= pt * Math.cos(phi);
        metY -= pt * Math.sin(phi);
      }
      if (pt > selection.jetPtMin && Math.abs(eta) < selection.jetEtaMax) {
        // Insert after every jet of pT at least this one's (stable, as the sort by b.pt − a.pt).
        let at = count;
        while (at > 0 && pt - (jetPt[at - 1] as number) > 0) {
          jetPt[at] = jetPt[at - 1] as number;
          jetEta[at] = jetEta[at - 1] as number;
          jetPhi[at] = jetPhi[at - 1] as number;
          at--;
        }
        jetPt[at] = pt;
        jetEta[at] = eta;
        jetPhi[at] = phi;
        count++;
      }
    }
    if (metNoise) {
      metX += (metNoise.x[e] as number) / MEV_PER_GEV;
      metY += (metNoise.y[e] as number) / MEV_PER_GEV;
    }
    const row = selected++;
    lepPt[row] = lPt;
    lepEta[row] = lEta;
    lepPhi[row] = lPhi;
    hadPt[row] = tPt;
    hadEta[row] = tEta;
    hadPhi[row] = tPhi;
    j1Pt[row] = count > 0 ? (jetPt[0] as number) : FAIR_MISSING_VALUE;
    j1Eta[row] = count > 0 ? (jetEta[0] as number) : FAIR_MISSING_VALUE;
    j1Phi[row] = count > 0 ? (jetPhi[0] as number) : FAIR_MISSING_VALUE;
    j2Pt[row] = count > 1 ? (jetPt[1] as number) : FAIR_MISSING_VALUE;
    j2Eta[row] = count > 1 ? (jetEta[1] as number) : FAIR_MISSING_VALUE;
    j2Phi[row] = count > 1 ? (jetPhi[1] as number) : FAIR_MISSING_VALUE;
    nJets[row] = count;
    let sum = 0;
    for (let k = 0; k < count; k++) sum += jetPt[k] as number;
    jetAllPt[row] = sum;
    met[row] = Math.sqrt(metX * metX + metY * metY);
    metPhi[row] = Math.atan2(metY, metX);
    events[row] = e;
    flavours.push(lFlavour);
  }
  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name, i) => [name, (out[i] as Float32Array).slice(0, selected)])) as Record<PriColumnName, Float32Array>;
  return { events: events.slice(0, selected), pri, leptonFlavour: flavours };
}

/** Branches the lep-had features read, by role. */
export const PHYSLITE_LEP_HAD_BRANCHES = {
  electrons: ['AnalysisElectronsAuxDyn.pt', 'AnalysisElectronsAuxDyn.eta', 'AnalysisElectronsAuxDyn.phi', 'AnalysisElectronsAuxDyn.charge'],
  muons: ['AnalysisMuonsAuxDyn.pt', 'AnalysisMuonsAuxDyn.eta', 'AnalysisMuonsAuxDyn.phi', 'AnalysisMuonsAuxDyn.charge'],
  taus: ['AnalysisTauJetsAuxDyn.pt', 'AnalysisTauJetsAuxDyn.eta', 'AnalysisTauJetsAuxDyn.phi', 'AnalysisTauJetsAuxDyn.charge'],
  jets: ['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.eta', 'AnalysisJetsAuxDyn.phi'],
  event: ['EventInfoAuxDyn.mcEventWeights', 'EventInfoAuxDyn.mcChannelNumber', 'EventInfoAuxDyn.eventNumber'],
} as const;
