#!/usr/bin/python3
"""Reference values for the hzz-4l recipe, computed independently of the TypeScript code.

Generates seeded events (leptons and jets in MeV, stored as float32 like PHYSLITE): H->ZZ*->4l decays with random
flavours, on-shell ZZ pairs, and events built to fail one cut each (three leptons, same-sign pairs, a J/psi pair, a
soft third lepton, a failed quality flag, close leptons). Then applies the recipe's object selection, overlap removal,
quadruplet choice and features with numpy (4x4 Lorentz-boost matrices, not the TypeScript formulas) and writes
four_lepton_reference.json beside this script.

Run: /usr/bin/python3 recipes/hzz-4l/reference/make_four_lepton_reference.py
"""
import json
import math
import os

import numpy as np

RNG = np.random.default_rng(20260214)
MZ = 91187.6
MMU = 105.658
ME = 0.511
MISSING = -999.0


def f32(x):
    return float(np.float32(x))


def four_vector(pt, eta, phi, m):
    px, py, pz = pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta)
    return np.array([math.sqrt(px * px + py * py + pz * pz + m * m), px, py, pz])


def boost_matrix(p):
    """Lorentz transformation into the rest frame of four-momentum p = (E, px, py, pz)."""
    beta = p[1:] / p[0]
    b2 = float(beta @ beta)
    gamma = 1.0 / math.sqrt(1.0 - b2)
    lam = np.eye(4)
    lam[0, 0] = gamma
    lam[0, 1:] = -gamma * beta
    lam[1:, 0] = -gamma * beta
    if b2 > 0:
        lam[1:, 1:] += (gamma - 1.0) * np.outer(beta, beta) / b2
    return lam


def mass(p):
    return math.sqrt(max(0.0, p[0] ** 2 - p[1] ** 2 - p[2] ** 2 - p[3] ** 2))


def delta_r(a, b):
    dphi = (a["phi"] - b["phi"] + math.pi) % (2 * math.pi) - math.pi
    return math.hypot(a["eta"] - b["eta"], dphi)


def decay(parent, m_parent, m1, m2):
    """Isotropic two-body decay of `parent` (lab four-momentum) into masses m1, m2: lab four-momenta."""
    p = math.sqrt(max(0.0, (m_parent ** 2 - (m1 + m2) ** 2) * (m_parent ** 2 - (m1 - m2) ** 2))) / (2 * m_parent)
    cos_t = RNG.uniform(-1, 1)
    sin_t = math.sqrt(1 - cos_t * cos_t)
    phi = RNG.uniform(-math.pi, math.pi)
    d = np.array([sin_t * math.cos(phi), sin_t * math.sin(phi), cos_t])
    a = np.concatenate([[math.sqrt(p * p + m1 * m1)], p * d])
    b = np.concatenate([[math.sqrt(p * p + m2 * m2)], -p * d])
    back = np.linalg.inv(boost_matrix(parent))
    return back @ a, back @ b


def lepton_from(p, flavour, charge):
    pt = math.hypot(p[1], p[2])
    eta = math.asinh(p[3] / pt)
    phi = math.atan2(p[2], p[1])
    return {"flavour": flavour, "charge": charge, "pt": f32(pt), "eta": f32(eta), "phi": f32(phi), "m": f32(ME if flavour == 11 else 0.0)}


def resonance_pair(kind):
    if kind == "higgs":
        m_h = 125000.0
        m1 = min(RNG.normal(MZ, 2500.0), 110000.0)
        m2 = RNG.uniform(13000.0, m_h - m1 - 1000.0)
        pt = RNG.exponential(30000.0)
    else:
        m1, m2 = RNG.normal(MZ, 2500.0), RNG.normal(MZ, 2500.0)
        m_h = m1 + m2 + RNG.exponential(60000.0) + 2000.0
        pt = RNG.exponential(40000.0)
    y = RNG.uniform(-1.8, 1.8)
    phi = RNG.uniform(-math.pi, math.pi)
    mt = math.sqrt(m_h * m_h + pt * pt)
    parent = np.array([mt * math.cosh(y), pt * math.cos(phi), pt * math.sin(phi), mt * math.sinh(y)])
    leptons = []
    for mz in (m1, m2):
        flavour = 11 if RNG.uniform() < 0.5 else 13
        ml = ME if flavour == 11 else MMU
        # Each Z gets the momentum it has in the parent's decay, then decays to a lepton pair.
        leptons.append((mz, flavour, ml))
    z1, z2 = decay(parent, m_h, m1, m2)
    out = []
    for z, (mz, flavour, ml) in zip((z1, z2), leptons):
        lm, lp = decay(z, mz, ml, ml)
        out += [lepton_from(lm, flavour, -1), lepton_from(lp, flavour, +1)]
    return out


def make_event(kind):
    leptons = resonance_pair("higgs" if kind in ("higgs", "three", "same-sign", "soft", "quality", "close", "jpsi") else "zz")
    quality_fail = None
    if kind == "three":
        leptons = leptons[:3]
    elif kind == "same-sign":
        leptons[1]["charge"] = -1
        leptons[3]["charge"] = -1
    elif kind == "soft":
        leptons[2]["pt"] = f32(6000.0 if leptons[2]["flavour"] == 13 else 8000.0)
        leptons[3]["pt"] = f32(6500.0 if leptons[3]["flavour"] == 13 else 7500.0)
    elif kind == "quality":
        quality_fail = 0
    elif kind == "close":
        leptons[3]["eta"] = f32(leptons[0]["eta"] + 0.03)
        leptons[3]["phi"] = f32(leptons[0]["phi"] + 0.03)
    elif kind == "jpsi":
        # A low-mass same-flavour pair added: J/psi-like, so one quadruplet choice must veto it.
        flavour = leptons[0]["flavour"]
        base = leptons[0]
        leptons.append({"flavour": flavour, "charge": +1, "pt": f32(9000.0), "eta": f32(base["eta"] + 0.2), "phi": f32(base["phi"] + 0.15), "m": f32(ME if flavour == 11 else 0.0)})
    if RNG.uniform() < 0.2:
        flavour = 11 if RNG.uniform() < 0.5 else 13
        leptons.append({"flavour": flavour, "charge": int(RNG.choice([-1, 1])), "pt": f32(RNG.uniform(5500.0, 25000.0)), "eta": f32(RNG.uniform(-2.4, 2.4)), "phi": f32(RNG.uniform(-3.1, 3.1)), "m": f32(ME if flavour == 11 else 0.0)})
    electrons = {"pt": [], "eta": [], "phi": [], "m": [], "charge": [], "DFCommonElectronsLHLoose": []}
    muons = {"pt": [], "eta": [], "phi": [], "charge": [], "quality": []}
    order = sorted(range(len(leptons)), key=lambda i: -leptons[i]["pt"])
    for n, i in enumerate(order):
        lep = leptons[i]
        if lep["flavour"] == 11:
            electrons["pt"].append(lep["pt"]); electrons["eta"].append(lep["eta"]); electrons["phi"].append(lep["phi"])
            electrons["m"].append(lep["m"]); electrons["charge"].append(float(lep["charge"]))
            electrons["DFCommonElectronsLHLoose"].append(0 if (quality_fail is not None and n == 0) else 1)
        else:
            muons["pt"].append(lep["pt"]); muons["eta"].append(lep["eta"]); muons["phi"].append(lep["phi"])
            muons["charge"].append(float(lep["charge"]))
            muons["quality"].append(3 if (quality_fail is not None and n == 0) else int(RNG.integers(0, 3)))
    jets = {"pt": [], "eta": [], "phi": [], "m": []}
    n_jets = int(RNG.integers(0, 4))
    jet_list = []
    for _ in range(n_jets):
        jet_list.append((f32(RNG.uniform(20000.0, 120000.0)), f32(RNG.uniform(-4.0, 4.0)), f32(RNG.uniform(-3.1, 3.1)), f32(RNG.uniform(3000.0, 15000.0))))
    if leptons and RNG.uniform() < 0.3:
        lep = leptons[0]
        jet_list.append((f32(lep["pt"] * 1.05), f32(lep["eta"] + 0.05), f32(lep["phi"] - 0.05), f32(4000.0)))
    for jet in sorted(jet_list, key=lambda j: -j[0]):
        for name, value in zip(("pt", "eta", "phi", "m"), jet):
            jets[name].append(value)
    return {"kind": kind, "electrons": electrons, "muons": muons, "jets": jets}


def selected_leptons(event):
    out = []
    e = event["electrons"]
    for i in range(len(e["pt"])):
        if e["pt"][i] > 7000.0 and abs(e["eta"][i]) < 2.47 and e["DFCommonElectronsLHLoose"][i] != 0:
            out.append({"flavour": 11, "charge": e["charge"][i], "pt": e["pt"][i], "eta": e["eta"][i], "phi": e["phi"][i], "m": e["m"][i]})
    m = event["muons"]
    for i in range(len(m["pt"])):
        if m["pt"][i] > 5000.0 and abs(m["eta"][i]) < 2.7 and m["quality"][i] <= 2:
            out.append({"flavour": 13, "charge": m["charge"][i], "pt": m["pt"][i], "eta": m["eta"][i], "phi": m["phi"][i], "m": MMU})
    return out


def p4(lep):
    return four_vector(lep["pt"], lep["eta"], lep["phi"], lep["m"])


def sfos(a, b):
    return a["flavour"] == b["flavour"] and a["charge"] * b["charge"] < 0


def choose(leptons):
    best = None
    n = len(leptons)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if sfos(leptons[i], leptons[j])]
    for a in range(len(pairs)):
        for b in range(a + 1, len(pairs)):
            idx = set(pairs[a]) | set(pairs[b])
            if len(idx) < 4:
                continue
            four = [leptons[i] for i in idx]
            pts = sorted((l["pt"] / 1000.0 for l in four), reverse=True)
            if not (pts[0] > 20 and pts[1] > 15 and pts[2] > 10):
                continue
            ma = mass(p4(leptons[pairs[a][0]]) + p4(leptons[pairs[a][1]]))
            mb = mass(p4(leptons[pairs[b][0]]) + p4(leptons[pairs[b][1]]))
            if abs(ma - MZ) <= abs(mb - MZ):
                z1, z2, m1, m2 = pairs[a], pairs[b], ma, mb
            else:
                z1, z2, m1, m2 = pairs[b], pairs[a], mb, ma
            if not (50 < m1 / 1000 < 106 and 12 < m2 / 1000 < 115):
                continue
            ok = True
            for x in range(4):
                for y in range(x + 1, 4):
                    if delta_r(four[x], four[y]) <= 0.1:
                        ok = False
                    if sfos(four[x], four[y]) and mass(p4(four[x]) + p4(four[y])) / 1000 <= 5:
                        ok = False
            if not ok:
                continue
            d1, d2 = abs(m1 - MZ), abs(m2 - MZ)
            if best is None or d1 < best[2] or (d1 == best[2] and d2 < best[3]):
                order = lambda pair: sorted(pair, key=lambda i: leptons[i]["charge"])
                best = (order(z1), order(z2), d1, d2)
    if best is None:
        return None
    return [leptons[i] for i in best[0]], [leptons[i] for i in best[1]]


def unit(v):
    n = np.linalg.norm(v)
    return v / n if n > 0 else v * 0


def observables(z1, z2):
    q11, q12, q21, q22 = (p4(l) for l in (z1[0], z1[1], z2[0], z2[1]))
    x = q11 + q12 + q21 + q22
    lam = boost_matrix(x)
    b11, b12, b21, b22 = (lam @ q for q in (q11, q12, q21, q22))
    qz1 = (b11 + b12)[1:]
    n1 = unit(np.cross(b11[1:], b12[1:]))
    n2 = unit(np.cross(b21[1:], b22[1:]))
    nz = np.array([0.0, 0.0, 1.0])
    nsc = unit(np.cross(nz, qz1))
    sign = lambda v: -1.0 if v < 0 else 1.0
    phi = sign(qz1 @ np.cross(n1, n2)) * math.acos(max(-1.0, min(1.0, -(n1 @ n2))))
    phi1 = sign(qz1 @ np.cross(n1, nsc)) * math.acos(max(-1.0, min(1.0, n1 @ nsc)))
    cos_star = unit(qz1) @ nz
    z1v, z2v = q11 + q12, q21 + q22
    l1 = boost_matrix(z1v)
    cos1 = -(unit((l1 @ z2v)[1:]) @ unit((l1 @ q11)[1:]))
    l2 = boost_matrix(z2v)
    cos2 = -(unit((l2 @ z1v)[1:]) @ unit((l2 @ q21)[1:]))
    pt4l = math.hypot(x[1], x[2])
    y4l = 0.5 * math.log((x[0] + x[3]) / (x[0] - x[3]))
    return {
        "m4l": mass(x) / 1000, "mZ1": mass(z1v) / 1000, "mZ2": mass(z2v) / 1000, "pt4l": pt4l / 1000, "y4l": y4l,
        "cos_theta_star": cos_star, "cos_theta1": cos1, "cos_theta2": cos2, "phi_decay": phi, "phi1": phi1,
    }


def features(event):
    leptons = selected_leptons(event)
    chosen = choose(leptons)
    if chosen is None:
        return None
    z1, z2 = chosen
    out = observables(z1, z2)
    f1, f2 = z1[0]["flavour"], z2[0]["flavour"]
    out["channel"] = 0 if (f1 == 13 and f2 == 13) else 1 if (f1 == 11 and f2 == 11) else 2 if f1 == 13 else 3
    quad = sorted(z1 + z2, key=lambda l: -l["pt"])
    for k, lep in enumerate(quad):
        out[f"lep_pt_{k}"] = lep["pt"] / 1000
        out[f"lep_eta_{k}"] = lep["eta"]
        out[f"lep_phi_{k}"] = lep["phi"]
        out[f"lep_charge_{k}"] = lep["charge"]
        out[f"lep_flavour_{k}"] = lep["flavour"]
    j = event["jets"]
    kept = []
    for i in range(len(j["pt"])):
        if not (j["pt"][i] > 30000.0 and abs(j["eta"][i]) < 4.5):
            continue
        jet = {"eta": j["eta"][i], "phi": j["phi"][i]}
        if any(delta_r(jet, lep) < 0.2 for lep in leptons):
            continue
        kept.append(i)
    out["n_jets"] = len(kept)
    for slot in range(2):
        i = kept[slot] if slot < len(kept) else None
        out[f"jet_pt_{slot}"] = j["pt"][i] / 1000 if i is not None else MISSING
        out[f"jet_eta_{slot}"] = j["eta"][i] if i is not None else MISSING
        out[f"jet_phi_{slot}"] = j["phi"][i] if i is not None else MISSING
    if len(kept) >= 2:
        a, b = (four_vector(j["pt"][i], j["eta"][i], j["phi"][i], j["m"][i]) for i in kept[:2])
        out["m_jj"] = mass(a + b) / 1000
    else:
        out["m_jj"] = MISSING
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
    kinds = ["higgs"] * 90 + ["zz"] * 45 + ["three", "same-sign", "soft", "quality", "close", "jpsi"] * 7
    RNG.shuffle(kinds)
    events = [make_event(kind) for kind in kinds]
    expected = [features(e) for e in events]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "four_lepton_reference.json"), "w") as out:
        # 9 significant digits: every float32 input is read back exactly.
        out.write(json.dumps(compact({"generator": "make_four_lepton_reference.py (numpy seed 20260214)", "events": events, "expected": expected}), separators=(",", ":")))
    print(f"{len(events)} events, {sum(e is not None for e in expected)} selected")


if __name__ == "__main__":
    main()
