#!/usr/bin/python3
"""Seeded generator of ATLAS top-tagging HDF5 shards in the layout of the real release.

The release (CERN Open Data record 80030, DOI 10.7483/OPENDATA.ATLAS.SOAY.LABE, files such as
train_nominal_000.h5 and test_nominal_000.h5) holds plain h5py datasets, one row per large-R jet:

  fjet_clus_pt, fjet_clus_eta, fjet_clus_phi, fjet_clus_E   float32 (N, 200), pT-ordered, zero-padded, MeV
  fjet_C2 ... fjet_ThrustMaj (15 substructure variables)    float32 (N,)
  fjet_pt, fjet_eta, fjet_phi, fjet_m                       float32 (N,)
  labels                                                    int32 (N,) 1 = top, 0 = QCD
  training_weights                                          float32 (N,), training files only
  EventInfo_mcEventNumber                                   int64 (N,)
  attributes num_cons = 4, num_hl = 15

The values are physically shaped but synthetic (they are test and benchmark inputs, not data). Writing goes in
blocks of --block jets, so a file of any size is written in bounded memory. Same arguments, same bytes of data.

Usage: /usr/bin/python3 scripts/generate-top-tagging-hdf5.py --out train_nominal_000.h5 --jets 100000 --seed 1
       [--weights] [--event-offset 0] [--energy-scale 1.0] [--block 10000] [--compression gzip]
"""

import argparse

import h5py
import numpy as np

HIGH_LEVEL = [
    'fjet_C2', 'fjet_D2', 'fjet_ECF1', 'fjet_ECF2', 'fjet_ECF3', 'fjet_L2', 'fjet_L3', 'fjet_Qw', 'fjet_Split12',
    'fjet_Split23', 'fjet_Tau1_wta', 'fjet_Tau2_wta', 'fjet_Tau3_wta', 'fjet_Tau4_wta', 'fjet_ThrustMaj',
]
WIDTH = 200


def block_of_jets(rng, n, energy_scale):
    labels = rng.integers(0, 2, size=n, dtype=np.int32)
    fjet_pt = rng.uniform(350e3, 3500e3, size=n).astype(np.float32) * np.float32(energy_scale)
    fjet_eta = rng.uniform(-2.0, 2.0, size=n).astype(np.float32)
    fjet_phi = rng.uniform(-np.pi, np.pi, size=n).astype(np.float32)
    fjet_m = np.where(labels == 1, rng.normal(172e3, 15e3, size=n), rng.exponential(60e3, size=n) + 40e3)
    fjet_m = (fjet_m * energy_scale).astype(np.float32)

    counts = np.clip(rng.poisson(np.where(labels == 1, 60, 35)), 2, WIDTH)
    fractions = rng.exponential(1.0, size=(n, WIDTH))
    fractions[np.arange(WIDTH)[None, :] >= counts[:, None]] = 0.0
    fractions = -np.sort(-fractions, axis=1)
    fractions /= fractions.sum(axis=1, keepdims=True)
    mask = fractions > 0
    pt = (fractions * fjet_pt[:, None]).astype(np.float32)
    eta = np.where(mask, fjet_eta[:, None] + rng.normal(0.0, 0.3, size=(n, WIDTH)), 0.0).astype(np.float32)
    phi = np.where(mask, fjet_phi[:, None] + rng.normal(0.0, 0.3, size=(n, WIDTH)), 0.0).astype(np.float32)
    energy = np.where(mask, pt * np.cosh(eta), 0.0).astype(np.float32)

    high_level = {}
    for h, name in enumerate(HIGH_LEVEL):
        base = rng.gamma(2.0 + h % 3, 0.1 + 0.05 * labels, size=n)
        if name == 'fjet_ECF1':
            base = fjet_pt.astype(np.float64)
        elif name in ('fjet_ECF2', 'fjet_ECF3', 'fjet_Qw', 'fjet_Split12', 'fjet_Split23'):
            base = base * 1e4 * energy_scale
        high_level[name] = base.astype(np.float32)
    return {
        'fjet_clus_pt': pt, 'fjet_clus_eta': eta, 'fjet_clus_phi': phi, 'fjet_clus_E': energy,
        **high_level,
        'fjet_pt': fjet_pt, 'fjet_eta': fjet_eta, 'fjet_phi': fjet_phi, 'fjet_m': fjet_m,
        'labels': labels,
        'training_weights': rng.uniform(0.2, 3.0, size=n).astype(np.float32),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True)
    parser.add_argument('--jets', type=int, required=True)
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--weights', action='store_true', help='write training_weights (nominal training files)')
    parser.add_argument('--event-offset', type=int, default=0, help='first EventInfo_mcEventNumber')
    parser.add_argument('--energy-scale', type=float, default=1.0, help='scale of pT, E and mass (e.g. 1.02 for a CES-up file)')
    parser.add_argument('--block', type=int, default=10000)
    parser.add_argument('--compression', choices=['none', 'gzip'], default='none')
    args = parser.parse_args()
    if args.jets < 1:
        parser.error('--jets must be at least 1')

    rng = np.random.default_rng(args.seed)
    compression = None if args.compression == 'none' else 'gzip'
    chunk_rows = max(1, min(args.block, args.jets, 1000))
    with h5py.File(args.out, 'w') as f:
        f.attrs['num_cons'] = 4
        f.attrs['num_hl'] = 15

        def create(name, dtype, two_d):
            shape = (args.jets, WIDTH) if two_d else (args.jets,)
            chunks = (chunk_rows, WIDTH) if two_d else (min(args.jets, 100000),)
            return f.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, compression=compression)

        datasets = {name: create(name, 'float32', True) for name in ['fjet_clus_pt', 'fjet_clus_eta', 'fjet_clus_phi', 'fjet_clus_E']}
        for name in HIGH_LEVEL + ['fjet_pt', 'fjet_eta', 'fjet_phi', 'fjet_m']:
            datasets[name] = create(name, 'float32', False)
        datasets['labels'] = create('labels', 'int32', False)
        if args.weights:
            datasets['training_weights'] = create('training_weights', 'float32', False)
        events = create('EventInfo_mcEventNumber', 'int64', False)

        for start in range(0, args.jets, args.block):
            end = min(args.jets, start + args.block)
            block = block_of_jets(rng, end - start, args.energy_scale)
            for name, dataset in datasets.items():
                dataset[start:end] = block[name]
            events[start:end] = np.arange(args.event_offset + start, args.event_offset + end, dtype=np.int64)


if __name__ == '__main__':
    main()
