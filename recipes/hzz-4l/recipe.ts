import { hzz4lRecipe } from './hzz-4l';

/**
 * H→ZZ*→4ℓ from PHYSLITE: gluon-fusion Higgs against the ZZ* continuum. Files are read from the build's inputs folder
 * (the server's: DATA_DIR/downloads), one folder per process, with `dsids.csv` (σ, k-factor, filter efficiency per
 * DSID) beside them; Σw comes from each file's CutBookkeepers.
 */
export default hzz4lRecipe({
  dataset: 'physlite-hzz-4l',
  version: '0.1.0',
  title: 'H→ZZ*→4ℓ from PHYSLITE',
  luminosityFb: 140,
  samples: [
    { name: 'ggH125_ZZ4l', files: ['physlite/hzz-4l/ggH/*.root'], label: 1, process: 'ggH' },
    { name: 'ZZ4l', files: ['physlite/hzz-4l/ZZ/*.root'], label: 0, process: 'ZZ' },
  ],
  dsidTable: 'physlite/hzz-4l/dsids.csv',
  weights: { negative: 'clip-to-zero' },
  split: { testFraction: 0.3, seed: 1 },
  variations: [
    { kind: 'scale', name: 'ees_up', collection: 'electrons', factor: 1.01 },
    { kind: 'scale', name: 'mes_down', collection: 'muons', factor: 0.99 },
    { kind: 'resolution', name: 'muon_resolution', collection: 'muons', sigma: 0.02, seed: 1 },
    { kind: 'scale', name: 'jes_up', collection: 'jets', factor: 1.03 },
  ],
});
