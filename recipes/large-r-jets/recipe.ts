import { largeRJetRecipe } from './large-r-jets';

/**
 * Boosted top tagging from PHYSLITE, in the style of the ATLAS top-tagging open data: large-R jets of Z'→tt̄ (signal)
 * and dijet (background) samples. Files are read from the build's inputs folder (the server's: DATA_DIR/downloads),
 * one folder per process, with `dsids.csv` beside them; Σw comes from each file's CutBookkeepers.
 */
export default largeRJetRecipe({
  dataset: 'physlite-large-r-jets',
  version: '0.1.0',
  title: 'Large-R jet tagging from PHYSLITE',
  luminosityFb: 140,
  samples: [
    { name: 'zprime_ttbar', files: ['physlite/large-r-jets/zprime/*.root'], label: 1, process: 'top' },
    { name: 'dijet', files: ['physlite/large-r-jets/dijet/*.root'], label: 0, process: 'qcd' },
  ],
  dsidTable: 'physlite/large-r-jets/dsids.csv',
  weights: { negative: 'clip-to-zero' },
  split: { testFraction: 0.3, seed: 1 },
  variations: [
    { kind: 'scale', name: 'large_r_jes_up', collection: 'largeRJets', factor: 1.02 },
    { kind: 'resolution', name: 'large_r_jer', collection: 'largeRJets', sigma: 0.02, seed: 1 },
  ],
});
