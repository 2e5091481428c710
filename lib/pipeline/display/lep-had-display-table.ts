import type { ArrowColumn } from '@/lib/shared/arrow';
import { DISPLAY_SAMPLE_LIMIT, type DisplayTable, DisplayTableBuilder } from '@/lib/shared/display/display-objects';

const numeric = (features: Record<string, ArrowColumn>, name: string): ArrayLike<number> => {
  const column = features[name];
  if (!column || Array.isArray(column)) throw new Error(`lep-had display table: feature "${name}" is missing or not numeric.`);
  return column as ArrayLike<number>;
};

/**
 * The display table of a lepton + hadronic-tau dataset (PHYSLITE lep-had builds, the H→ττ toy): for the first
 * `limit` training events, the selected lepton, the hadronic tau, the leading and subleading jets when present and
 * the missing transverse momentum, read from the PRI columns (GeV, rad). A jet whose pT is the missing-value
 * sentinel is absent and not drawn.
 */
export function buildLepHadDisplayTable(eventIds: Int32Array, features: Record<string, ArrowColumn>, missingValue: number, limit = DISPLAY_SAMPLE_LIMIT): DisplayTable {
  const col = (name: string) => numeric(features, name);
  const lep = { pt: col('PRI_lep_pt'), eta: col('PRI_lep_eta'), phi: col('PRI_lep_phi') };
  const tau = { pt: col('PRI_had_pt'), eta: col('PRI_had_eta'), phi: col('PRI_had_phi') };
  const jets = [
    { pt: col('PRI_jet_leading_pt'), eta: col('PRI_jet_leading_eta'), phi: col('PRI_jet_leading_phi') },
    { pt: col('PRI_jet_subleading_pt'), eta: col('PRI_jet_subleading_eta'), phi: col('PRI_jet_subleading_phi') },
  ];
  const met = col('PRI_met');
  const metPhi = col('PRI_met_phi');
  const out = new DisplayTableBuilder();
  const n = Math.min(limit, eventIds.length);
  for (let row = 0; row < n; row++) {
    const id = eventIds[row] as number;
    out.add(id, 'lepton', lep.pt[row] as number, lep.eta[row] as number, lep.phi[row] as number);
    out.add(id, 'tau', tau.pt[row] as number, tau.eta[row] as number, tau.phi[row] as number);
    for (const jet of jets) {
      const pt = jet.pt[row] as number;
      if (pt === missingValue || !(pt > 0)) continue;
      out.add(id, 'jet', pt, jet.eta[row] as number, jet.phi[row] as number);
    }
    out.add(id, 'met', met[row] as number, 0, metPhi[row] as number);
  }
  return out.build();
}
