/**
 * HiggsML-style features of a lepton + hadronic-tau + jets + MET event, FAIR-Universe naming (`PRI_had_*`).
 *
 * `computeDerFeatures` ports `derived_quantities.py` v4.0 of the FAIR-Universe HiggsML Uncertainty Challenge
 * (D. Rousseau, V. Estrade; github.com/FAIR-Universe/HEP-Challenge, `ingestion_program/derived_quantities.py`)
 * column-wise over typed arrays, so it serves the toy generator, the systematics pipeline and PHYSLITE builds
 * alike. Conventions (see ../shared/docs/DATA.md): px = pT cos φ, py = pT sin φ, pz = pT sinh η, |p| = pT cosh η,
 * all objects massless; the leading jet enters only if `PRI_n_jets ≥ 1`, the subleading one only if ≥ 2;
 * undefined values are the missing-value sentinel (−25).
 */

export type FeatureUnit = 'GeV' | 'rad' | 'dimensionless';
export type FeatureColumnSpec = { readonly name: string; readonly unit: FeatureUnit; readonly description: string };

/** The 16 primary features, in FAIR-Universe file order. Missing jet fields hold −25. */
export const PRI_COLUMNS = [
  { name: 'PRI_lep_pt', unit: 'GeV', description: 'Transverse momentum of the lepton (electron or muon).' },
  { name: 'PRI_lep_eta', unit: 'dimensionless', description: 'Pseudorapidity of the lepton.' },
  { name: 'PRI_lep_phi', unit: 'rad', description: 'Azimuthal angle of the lepton.' },
  { name: 'PRI_had_pt', unit: 'GeV', description: 'Transverse momentum of the hadronically decaying tau (visible part).' },
  { name: 'PRI_had_eta', unit: 'dimensionless', description: 'Pseudorapidity of the hadronic tau.' },
  { name: 'PRI_had_phi', unit: 'rad', description: 'Azimuthal angle of the hadronic tau.' },
  { name: 'PRI_jet_leading_pt', unit: 'GeV', description: 'Transverse momentum of the leading jet; −25 if there is no jet.' },
  { name: 'PRI_jet_leading_eta', unit: 'dimensionless', description: 'Pseudorapidity of the leading jet; −25 if there is no jet.' },
  { name: 'PRI_jet_leading_phi', unit: 'rad', description: 'Azimuthal angle of the leading jet; −25 if there is no jet.' },
  { name: 'PRI_jet_subleading_pt', unit: 'GeV', description: 'Transverse momentum of the subleading jet; −25 if fewer than two jets.' },
  { name: 'PRI_jet_subleading_eta', unit: 'dimensionless', description: 'Pseudorapidity of the subleading jet; −25 if fewer than two jets.' },
  { name: 'PRI_jet_subleading_phi', unit: 'rad', description: 'Azimuthal angle of the subleading jet; −25 if fewer than two jets.' },
  { name: 'PRI_n_jets', unit: 'dimensionless', description: 'Number of jets with pT > 26 GeV.' },
  { name: 'PRI_jet_all_pt', unit: 'GeV', description: 'Scalar sum of the transverse momenta of all jets (0 if there is none).' },
  { name: 'PRI_met', unit: 'GeV', description: 'Missing transverse momentum.' },
  { name: 'PRI_met_phi', unit: 'rad', description: 'Azimuthal angle of the missing transverse momentum.' },
] as const satisfies readonly FeatureColumnSpec[];

/** The 12 derived features, in FAIR-Universe file order. */
export const DER_COLUMNS = [
  { name: 'DER_mass_transverse_met_lep', unit: 'GeV', description: 'Transverse mass of the lepton and the missing transverse momentum.' },
  { name: 'DER_mass_vis', unit: 'GeV', description: 'Invariant mass of the lepton and the hadronic tau (massless).' },
  { name: 'DER_pt_h', unit: 'GeV', description: 'Modulus of the vector sum of the transverse momenta of the hadronic tau, the lepton and the missing transverse momentum.' },
  { name: 'DER_deltaeta_jet_jet', unit: 'dimensionless', description: 'Absolute pseudorapidity separation of the two jets; −25 if fewer than two jets.' },
  { name: 'DER_mass_jet_jet', unit: 'GeV', description: 'Invariant mass of the two jets; −25 if fewer than two jets.' },
  { name: 'DER_prodeta_jet_jet', unit: 'dimensionless', description: 'Product of the pseudorapidities of the two jets; −25 if fewer than two jets.' },
  { name: 'DER_deltar_had_lep', unit: 'dimensionless', description: 'ΔR = √(Δη² + Δφ²) between the hadronic tau and the lepton.' },
  { name: 'DER_pt_tot', unit: 'GeV', description: 'Modulus of the vector sum of the transverse momenta of the hadronic tau, the lepton, the missing transverse momentum and the (up to two) leading jets.' },
  { name: 'DER_sum_pt', unit: 'GeV', description: 'Sum of the transverse momenta of the hadronic tau, the lepton and all jets.' },
  { name: 'DER_pt_ratio_lep_had', unit: 'dimensionless', description: 'Ratio of the lepton and hadronic-tau transverse momenta.' },
  { name: 'DER_met_phi_centrality', unit: 'dimensionless', description: 'Centrality of the MET azimuth between the lepton and the hadronic tau, (A+B)/√(A²+B²) ∈ [−√2, √2].' },
  { name: 'DER_lep_eta_centrality', unit: 'dimensionless', description: 'Centrality of the lepton pseudorapidity between the two jets, exp(−4(η_lep − η̄_jj)²/Δη_jj²); −25 if fewer than two jets.' },
] as const satisfies readonly FeatureColumnSpec[];

export type PriColumnName = (typeof PRI_COLUMNS)[number]['name'];
export type DerColumnName = (typeof DER_COLUMNS)[number]['name'];

export const PRI_COLUMN_NAMES: readonly PriColumnName[] = PRI_COLUMNS.map((c) => c.name);
export const DER_COLUMN_NAMES: readonly DerColumnName[] = DER_COLUMNS.map((c) => c.name);

/** Missing/undefined sentinel of FAIR-Universe and toy data. */
export const FAIR_MISSING_VALUE = -25;

/** Primary features, one array per column (Float32Array or Float64Array, all of one length). */
export type PriColumns = Record<PriColumnName, ArrayLike<number>>;
/** Derived features in double precision; callers that store float32 (as FAIR-Universe does) round afterwards. */
export type DerColumns = Record<DerColumnName, Float64Array>;

const EPSILON = 1e-4;

/**
 * Computes the 12 DER columns from the 16 PRI columns, row by row over typed arrays (no per-row objects).
 * Follows `derived_quantities.py` v4.0 exactly, including its corner cases:
 * - jets enter sums and masses only when `PRI_n_jets` says they exist, whatever their fields hold;
 * - Δφ is wrapped as |((φ_lep − φ_had + 3π) mod 2π) − π|;
 * - `DER_met_phi_centrality`: sign() is 0 when sin(φ_had − φ_lep) = 0, so A = B = 0; the reference then retries
 *   with φ_lep + 1e-4 and gives −25 only if the denominator is still 0;
 * - `DER_lep_eta_centrality`: when the two jets have equal η, 1e-4 is added to Δη² instead of dividing by 0.
 * One deliberate difference: `DER_mass_vis` takes √max(0, m²) where the reference would return NaN when
 * rounding makes m² of a collinear pair slightly negative.
 *
 * @example computeDerFeatures(pri).DER_mass_vis[0] // visible mass of the first event, GeV
 */
export function computeDerFeatures(pri: PriColumns, missingValue: number = FAIR_MISSING_VALUE): DerColumns {
  const n = pri.PRI_lep_pt.length;
  for (const name of PRI_COLUMN_NAMES) {
    const column = pri[name] as ArrayLike<number> | undefined;
    if (column === undefined || column.length !== n) {
      throw new RangeError(
        `computeDerFeatures: column ${name} ${column === undefined ? 'is missing' : `has ${column.length} rows, expected ${n} like PRI_lep_pt`}.`,
      );
    }
  }
  const out = Object.fromEntries(DER_COLUMN_NAMES.map((name) => [name, new Float64Array(n)])) as DerColumns;
  const { PRI_lep_pt, PRI_lep_eta, PRI_lep_phi, PRI_had_pt, PRI_had_eta, PRI_had_phi } = pri;
  const { PRI_jet_leading_pt, PRI_jet_leading_eta, PRI_jet_leading_phi } = pri;
  const { PRI_jet_subleading_pt, PRI_jet_subleading_eta, PRI_jet_subleading_phi } = pri;
  const { PRI_n_jets, PRI_jet_all_pt, PRI_met, PRI_met_phi } = pri;

  for (let i = 0; i < n; i++) {
    const lepPt = PRI_lep_pt[i] as number;
    const lepEta = PRI_lep_eta[i] as number;
    const lepPhi = PRI_lep_phi[i] as number;
    const hadPt = PRI_had_pt[i] as number;
    const hadEta = PRI_had_eta[i] as number;
    const hadPhi = PRI_had_phi[i] as number;
    const met = PRI_met[i] as number;
    const metPhi = PRI_met_phi[i] as number;
    const nJets = PRI_n_jets[i] as number;
    const hasLeading = nJets >= 1;
    const hasTwoJets = nJets >= 2;

    const lepPx = lepPt * Math.cos(lepPhi);
    const lepPy = lepPt * Math.sin(lepPhi);
    const lepPz = lepPt * Math.sinh(lepEta);
    const lepP = lepPt * Math.cosh(lepEta);
    const hadPx = hadPt * Math.cos(hadPhi);
    const hadPy = hadPt * Math.sin(hadPhi);
    const hadPz = hadPt * Math.sinh(hadEta);
    const hadP = hadPt * Math.cosh(hadEta);
    const metX = met * Math.cos(metPhi);
    const metY = met * Math.sin(metPhi);

    let j1Px = 0;
    let j1Py = 0;
    let j1Pz = 0;
    let j1P = 0;
    let j2Px = 0;
    let j2Py = 0;
    let j2Pz = 0;
    let j2P = 0;
    const j1Eta = PRI_jet_leading_eta[i] as number;
    const j2Eta = PRI_jet_subleading_eta[i] as number;
    if (hasLeading) {
      const pt = PRI_jet_leading_pt[i] as number;
      const phi = PRI_jet_leading_phi[i] as number;
      j1Px = pt * Math.cos(phi);
      j1Py = pt * Math.sin(phi);
      j1Pz = pt * Math.sinh(j1Eta);
      j1P = pt * Math.cosh(j1Eta);
    }
    if (hasTwoJets) {
      const pt = PRI_jet_subleading_pt[i] as number;
      const phi = PRI_jet_subleading_phi[i] as number;
      j2Px = pt * Math.cos(phi);
      j2Py = pt * Math.sin(phi);
      j2Pz = pt * Math.sinh(j2Eta);
      j2P = pt * Math.cosh(j2Eta);
    }

    const mtSquared = (met + lepPt) ** 2 - (metX + lepPx) ** 2 - (metY + lepPy) ** 2;
    out.DER_mass_transverse_met_lep[i] = Math.sqrt(Math.max(0, mtSquared));

    const visSquared = (lepP + hadP) ** 2 - (lepPx + hadPx) ** 2 - (lepPy + hadPy) ** 2 - (lepPz + hadPz) ** 2;
    out.DER_mass_vis[i] = Math.sqrt(Math.max(0, visSquared));

    out.DER_pt_h[i] = transverseNorm(hadPx + lepPx + metX, hadPy + lepPy + metY);

    if (hasTwoJets) {
      out.DER_deltaeta_jet_jet[i] = Math.abs(j2Eta - j1Eta);
      const jjSquared = (j1P + j2P) ** 2 - (j1Px + j2Px) ** 2 - (j1Py + j2Py) ** 2 - (j1Pz + j2Pz) ** 2;
      out.DER_mass_jet_jet[i] = Math.sqrt(Math.max(0, jjSquared));
      out.DER_prodeta_jet_jet[i] = j1Eta * j2Eta;
      let etaGapSquared = (j1Eta - j2Eta) ** 2;
      if (etaGapSquared === 0) etaGapSquared += EPSILON;
      const centre = (j1Eta + j2Eta) / 2;
      out.DER_lep_eta_centrality[i] = Math.exp((-4 / etaGapSquared) * (lepEta - centre) ** 2);
    } else {
      out.DER_deltaeta_jet_jet[i] = missingValue;
      out.DER_mass_jet_jet[i] = missingValue;
      out.DER_prodeta_jet_jet[i] = missingValue;
      out.DER_lep_eta_centrality[i] = missingValue;
    }

    const dEta = lepEta - hadEta;
    const dPhi = wrapDeltaPhi(lepPhi - hadPhi);
    out.DER_deltar_had_lep[i] = Math.sqrt(dEta * dEta + dPhi * dPhi);

    out.DER_pt_tot[i] = transverseNorm(hadPx + lepPx + metX + j1Px + j2Px, hadPy + lepPy + metY + j1Py + j2Py);
    out.DER_sum_pt[i] = hadPt + lepPt + (PRI_jet_all_pt[i] as number);
    out.DER_pt_ratio_lep_had[i] = lepPt / hadPt;

    let centrality = metPhiCentrality(metPhi, lepPhi, hadPhi);
    if (Number.isNaN(centrality)) centrality = metPhiCentrality(metPhi, lepPhi + EPSILON, hadPhi);
    out.DER_met_phi_centrality[i] = Number.isNaN(centrality) ? missingValue : centrality;
  }
  return out;
}

/** |Δφ| in [0, π], as numpy's |mod(Δφ + 3π, 2π) − π| (mod with the sign of the divisor). */
function wrapDeltaPhi(deltaPhi: number): number {
  const twoPi = 2 * Math.PI;
  const shifted = (((deltaPhi + 3 * Math.PI) % twoPi) + twoPi) % twoPi;
  return Math.abs(shifted - Math.PI);
}

/** (A + B)/√(A² + B²), or NaN when the denominator is 0 (the caller decides the fallback). */
function metPhiCentrality(metPhi: number, lepPhi: number, hadPhi: number): number {
  const side = Math.sign(Math.sin(hadPhi - lepPhi));
  const a = Math.sin(metPhi - lepPhi) * side;
  const b = Math.sin(hadPhi - metPhi) * side;
  const denominator = Math.sqrt(a * a + b * b);
  return denominator === 0 ? Number.NaN : (a + b) / denominator;
}

/** √(x² + y²); Math.hypot is several times slower in V8 and the extra range is not needed for GeV values. */
function transverseNorm(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}
