#!/usr/bin/python3
"""Reference values for the large-r-jets recipe, computed independently of the TypeScript code.

Generates seeded events (MeV, float32 as PHYSLITE stores them): large-R jets with substructure values, inner-detector
tracks as perigee parameters (q/p, theta, phi) spread around the jets and elsewhere, and small-R jets. Then applies the
recipe's selection with numpy: large-R jets with 350 < pT < 3500 GeV and |eta| < 2 (one row per jet), tracks with
pT > 500 MeV and |eta| < 2.5 within dR < 1.0 of the jet axis (hardest first, padded to 20), small-R jets with
pT > 20 GeV and |eta| < 4.5 within dR < 1.0 (first 3), tau ratios. Writes large_r_jet_reference.json beside this script.

Run: /usr/bin/python3 recipes/large-r-jets/reference/make_large_r_jet_reference.py
"""
import json
import math
import os

import numpy as np

RNG = np.random.default_rng(20260215)
MISSING = -999.0
N_CONSTITUENTS = 20
N_SUBJETS = 3
SUBSTRUCTURE = ["Tau1_wta", "Tau2_wta", "Tau3_wta", "C2", "D2", "ECF1", "ECF2", "ECF3", "Split12", "Split23", "Qw"]


def f32(x):
    return float(np.float32(x))


def wrap(phi):
    return (phi + math.pi) % (2 * math.pi) - math.pi


def make_event():
    jets = {k: [] for k in ["pt", "eta", "phi", "m"] + SUBSTRUCTURE}
    tracks = {"qOverP": [], "theta": [], "phi": []}
    small = {"pt": [], "eta": [], "phi": [], "m": []}
    n_jets = int(RNG.choice([0, 1, 1, 2, 2, 3]))
    axes = []
    for _ in range(n_jets):
        pt = RNG.choice([RNG.uniform(200e3, 340e3), RNG.uniform(360e3, 1500e3), RNG.uniform(3600e3, 4000e3)], p=[0.25, 0.7, 0.05])
        eta = RNG.uniform(-2.4, 2.4)
        phi = RNG.uniform(-math.pi, math.pi)
        axes.append((eta, phi))
        values = {"pt": pt, "eta": eta, "phi": phi, "m": RNG.uniform(20e3, 250e3)}
        tau1 = RNG.uniform(0.0, 0.4)
        values.update({"Tau1_wta": tau1 if RNG.uniform() > 0.05 else 0.0, "Tau2_wta": tau1 * RNG.uniform(0.2, 0.9), "C2": RNG.uniform(0, 0.5), "D2": RNG.uniform(0, 4),
                       "ECF1": pt, "ECF2": pt * pt * RNG.uniform(0.01, 0.1), "ECF3": pt ** 3 * RNG.uniform(1e-4, 1e-3), "Split12": RNG.uniform(0, 150e3), "Split23": RNG.uniform(0, 60e3), "Qw": RNG.uniform(0, 120e3)})
        values["Tau3_wta"] = values["Tau2_wta"] * RNG.uniform(0.2, 0.9) if values["Tau2_wta"] > 0 else 0.0
        for k, v in values.items():
            jets[k].append(f32(v))
    order = sorted(range(n_jets), key=lambda i: -jets["pt"][i])
    for k in jets:
        jets[k] = [jets[k][i] for i in order]
    n_tracks = int(RNG.integers(0, 40))
    for _ in range(n_tracks):
        if axes and RNG.uniform() < 0.7:
            eta0, phi0 = axes[int(RNG.integers(0, len(axes)))]
            eta = eta0 + RNG.normal(0, 0.5)
            phi = wrap(phi0 + RNG.normal(0, 0.5))
        else:
            eta, phi = RNG.uniform(-2.7, 2.7), RNG.uniform(-math.pi, math.pi)
        pt = RNG.exponential(8000.0) + 200.0
        theta = 2 * math.atan(math.exp(-eta))
        charge = 1 if RNG.uniform() < 0.5 else -1
        p = pt / math.sin(theta)
        tracks["qOverP"].append(f32(charge / p))
        tracks["theta"].append(f32(theta))
        tracks["phi"].append(f32(phi))
    n_small = int(RNG.integers(0, 6))
    small_list = []
    for _ in range(n_small):
        if axes and RNG.uniform() < 0.6:
            eta0, phi0 = axes[int(RNG.integers(0, len(axes)))]
            eta, phi = eta0 + RNG.normal(0, 0.6), wrap(phi0 + RNG.normal(0, 0.6))
        else:
            eta, phi = RNG.uniform(-4.8, 4.8), RNG.uniform(-math.pi, math.pi)
        small_list.append((f32(RNG.uniform(15e3, 400e3)), f32(eta), f32(phi), f32(RNG.uniform(2e3, 30e3))))
    for jet in sorted(small_list, key=lambda j: -j[0]):
        for k, v in zip(("pt", "eta", "phi", "m"), jet):
            small[k].append(v)
    return {"largeRJets": jets, "tracks": tracks, "jets": small}


def delta_r(eta1, phi1, eta2, phi2):
    return math.hypot(eta1 - eta2, wrap(phi1 - phi2))


def rows_of(event):
    out = []
    lj = event["largeRJets"]
    tr = event["tracks"]
    sj = event["jets"]
    for k in range(len(lj["pt"])):
        if not (350e3 < lj["pt"][k] < 3500e3 and abs(lj["eta"][k]) < 2.0):
            continue
        eta_j, phi_j = lj["eta"][k], lj["phi"][k]
        constituents = []
        for t in range(len(tr["qOverP"])):
            q, theta, phi = tr["qOverP"][t], tr["theta"][t], tr["phi"][t]
            pt = abs(math.sin(theta) / q)
            eta = -math.log(math.tan(theta / 2))
            if not (pt > 500 and abs(eta) < 2.5):
                continue
            if delta_r(eta, phi, eta_j, phi_j) >= 1.0:
                continue
            constituents.append((pt, eta, phi, pt * math.cosh(eta)))
        constituents.sort(key=lambda c: -c[0])
        row = {"fjet_pt": lj["pt"][k], "fjet_eta": eta_j, "fjet_phi": phi_j, "fjet_m": lj["m"][k]}
        for s in SUBSTRUCTURE:
            row[f"fjet_{s}"] = lj[s][k]
        row["fjet_Tau21_wta"] = lj["Tau2_wta"][k] / lj["Tau1_wta"][k] if lj["Tau1_wta"][k] > 0 else MISSING
        row["fjet_Tau32_wta"] = lj["Tau3_wta"][k] / lj["Tau2_wta"][k] if lj["Tau2_wta"][k] > 0 else MISSING
        row["fjet_n_trk"] = len(constituents)
        for i in range(N_CONSTITUENTS):
            c = constituents[i] if i < len(constituents) else None
            for name, j in (("pt", 0), ("eta", 1), ("phi", 2), ("E", 3)):
                row[f"fjet_trk_{name}_{i}"] = c[j] if c else MISSING
        subjets = [j for j in range(len(sj["pt"])) if sj["pt"][j] > 20e3 and abs(sj["eta"][j]) < 4.5 and delta_r(sj["eta"][j], sj["phi"][j], eta_j, phi_j) < 1.0]
        for i in range(N_SUBJETS):
            j = subjets[i] if i < len(subjets) else None
            for name in ("pt", "eta", "phi"):
                row[f"fjet_subjet_{name}_{i}"] = sj[name][j] if j is not None else MISSING
        out.append(row)
    return out


def compact(value):
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def main():
    events = [make_event() for _ in range(70)]
    # Padding (-999) is left out of the file: a feature absent from a row is the missing value.
    expected = [[{k: v for k, v in row.items() if v != MISSING} for row in rows_of(e)] for e in events]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "large_r_jet_reference.json"), "w") as out:
        out.write(json.dumps(compact({"generator": "make_large_r_jet_reference.py (numpy seed 20260215)", "events": events, "expected": expected}), separators=(",", ":")))
    print(f"{len(events)} events, {sum(len(r) for r in expected)} jet rows")


if __name__ == "__main__":
    main()
