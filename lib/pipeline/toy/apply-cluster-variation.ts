import { createRandomStream } from '../random/random-stream';
import type { ConstituentArrays } from './large-r-jet-features';

/**
 * Parametrised detector variations of jet constituents (clusters), modelled on the cluster systematics of the ATLAS
 * top-tagging open data (arXiv:2407.20127; ces_up/ces_down, cer, cpos): the varied test sets hold the same jets,
 * row by row, with varied constituents, and every jet feature is recomputed from them afterwards.
 */
export type ClusterVariation =
  | { name: string; kind: 'energy-scale'; scale: number }
  | { name: string; kind: 'energy-resolution'; constantTerm: number; stochasticTermSqrtGeV: number; seed: number }
  | { name: string; kind: 'position'; sigmaEta: number; sigmaPhi: number; seed: number };

const MEV_PER_GEV = 1000;

/**
 * Returns varied copies of the constituent arrays (the input is not modified):
 * - energy-scale: pT and E of every cluster × scale (η, φ unchanged, so the jet pT and mass scale exactly);
 * - energy-resolution: pT and E × (1 + N(0, 1)·σ), σ = constant ⊕ stochastic/√(E/GeV); a cluster pushed to pT ≤ 0
 *   is removed; the jet's clusters are re-sorted by pT;
 * - position: η + N(0, σ_η), φ + N(0, σ_φ) (wrapped to [−π, π]), E = pT·cosh η (massless clusters).
 * Padding (pT = 0) stays padding. Random draws come from the named stream `cluster-variation/<name>` of `seed`,
 * cluster by cluster in storage order, so a variation is reproducible.
 */
export function applyClusterVariation(input: ConstituentArrays, variation: ClusterVariation): ConstituentArrays {
  const out: ConstituentArrays = { pt: input.pt.slice(), eta: input.eta.slice(), phi: input.phi.slice(), e: input.e.slice(), slots: input.slots };
  const size = out.pt.length;
  if (variation.kind === 'energy-scale') {
    for (let i = 0; i < size; i++) {
      if (!((out.pt[i] as number) > 0)) continue;
      out.pt[i] = (out.pt[i] as number) * variation.scale;
      out.e[i] = (out.e[i] as number) * variation.scale;
    }
    return out;
  }
  const rng = createRandomStream(variation.seed, `cluster-variation/${variation.name}`);
  if (variation.kind === 'position') {
    for (let i = 0; i < size; i++) {
      if (!((out.pt[i] as number) > 0)) continue;
      const eta = Math.fround((out.eta[i] as number) + rng.normal(0, variation.sigmaEta));
      let phi = (out.phi[i] as number) + rng.normal(0, variation.sigmaPhi);
      if (phi > Math.PI) phi -= 2 * Math.PI;
      if (phi < -Math.PI) phi += 2 * Math.PI;
      out.eta[i] = eta;
      out.phi[i] = phi;
      out.e[i] = (out.pt[i] as number) * Math.cosh(eta);
    }
    return out;
  }
  for (let i = 0; i < size; i++) {
    if (!((out.pt[i] as number) > 0)) continue;
    const energyGeV = (out.e[i] as number) / MEV_PER_GEV;
    const sigma = Math.hypot(variation.constantTerm, variation.stochasticTermSqrtGeV / Math.sqrt(energyGeV));
    const factor = 1 + rng.normal(0, sigma);
    if (factor > 0) {
      out.pt[i] = (out.pt[i] as number) * factor;
      out.e[i] = (out.e[i] as number) * factor;
    } else {
      out.pt[i] = 0;
      out.eta[i] = 0;
      out.phi[i] = 0;
      out.e[i] = 0;
    }
  }
  sortJetsByPt(out);
  return out;
}

/** Re-sorts each jet's clusters by descending pT, padding last. */
function sortJetsByPt(c: ConstituentArrays): void {
  const jets = c.pt.length / c.slots;
  const order = Array.from({ length: c.slots }, (_, k) => k);
  const buffer = { pt: new Float32Array(c.slots), eta: new Float32Array(c.slots), phi: new Float32Array(c.slots), e: new Float32Array(c.slots) };
  for (let j = 0; j < jets; j++) {
    const base = j * c.slots;
    for (let k = 0; k < c.slots; k++) order[k] = k;
    order.sort((a, b) => (c.pt[base + b] as number) - (c.pt[base + a] as number) || a - b);
    for (const field of ['pt', 'eta', 'phi', 'e'] as const) {
      for (let k = 0; k < c.slots; k++) buffer[field][k] = c[field][base + (order[k] as number)] as number;
      c[field].set(buffer[field], base);
    }
  }
}
