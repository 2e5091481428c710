import { lepHadRecipe } from './lep-had';

/**
 * H→ττ (lepton + hadronic tau) from PHYSLITE: the features of the HiggsML and FAIR-Universe challenges. Files are
 * read from the build's inputs folder (the server's: DATA_DIR/downloads), one folder per process; `dsids.csv` beside
 * them gives σ, k-factor and filter efficiency per DSID (Σw comes from each file's CutBookkeepers).
 */
export default lepHadRecipe({
  dataset: 'physlite-lep-had',
  version: '0.1.0',
  title: 'H→ττ lepton + hadronic tau from PHYSLITE',
  luminosityFb: 140,
  samples: [
    { name: 'htautau', files: ['physlite/lep-had/htautau/*.root'], label: 1, process: 'htautau' },
    { name: 'ztautau', files: ['physlite/lep-had/ztautau/*.root'], label: 0, process: 'ztautau' },
    { name: 'ttbar', files: ['physlite/lep-had/ttbar/*.root'], label: 0, process: 'ttbar' },
  ],
  dsidTable: 'physlite/lep-had/dsids.csv',
  weights: { negative: 'clip-to-zero' },
  split: { testFraction: 0.3, seed: 1 },
  variations: [
    { kind: 'scale', name: 'tes_up', collection: 'taus', factor: 1.03 },
    { kind: 'scale', name: 'jes_down', collection: 'jets', factor: 0.97 },
    { kind: 'soft-met', name: 'soft_met', sigmaGeV: 3, seed: 1 },
  ],
});
