import type { ArrowColumn } from '@/lib/shared/arrow';
import { DISPLAY_SAMPLE_LIMIT, type DisplayTable, DisplayTableBuilder } from '@/lib/shared/display/display-objects';

const MEV_PER_GEV = 1000;

/**
 * The display table of a top-tagging dataset (the toy and the ATLAS HDF5 import): for the first `limit` training jets,
 * the large-R jet (fjet_pt, fjet_eta, fjet_phi, fjet_m) and its stored constituents (fjet_clus_*_k with pT > 0;
 * pT = 0 is padding), converted from MeV to GeV.
 */
export function buildLargeRJetDisplayTable(eventIds: Int32Array, features: Record<string, ArrowColumn>, slots: number, limit = DISPLAY_SAMPLE_LIMIT): DisplayTable {
  const col = (name: string): ArrayLike<number> => {
    const column = features[name];
    if (!column || Array.isArray(column)) throw new Error(`large-R jet display table: feature "${name}" is missing or not numeric.`);
    return column as ArrayLike<number>;
  };
  const jet = { pt: col('fjet_pt'), eta: col('fjet_eta'), phi: col('fjet_phi'), m: col('fjet_m') };
  const clusters = Array.from({ length: slots }, (_, k) => ({ pt: col(`fjet_clus_pt_${k}`), eta: col(`fjet_clus_eta_${k}`), phi: col(`fjet_clus_phi_${k}`) }));
  const out = new DisplayTableBuilder();
  const n = Math.min(limit, eventIds.length);
  for (let row = 0; row < n; row++) {
    const id = eventIds[row] as number;
    out.add(id, 'large_r_jet', (jet.pt[row] as number) / MEV_PER_GEV, jet.eta[row] as number, jet.phi[row] as number, (jet.m[row] as number) / MEV_PER_GEV);
    for (const c of clusters) {
      const pt = c.pt[row] as number;
      if (!(pt > 0)) continue;
      out.add(id, 'cluster', pt / MEV_PER_GEV, c.eta[row] as number, c.phi[row] as number);
    }
  }
  return out.build();
}
