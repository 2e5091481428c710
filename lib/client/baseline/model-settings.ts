/** What a student can change, with defaults that clearly beat a random guess on the toy challenges. */
export type Activation = 'relu' | 'tanh' | 'elu' | 'sigmoid';

export type ModelSettings = {
  hiddenLayers: number[];
  activation: Activation;
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Train with the events' physics weights (classes balanced); off = every event counts once. */
  useWeights: boolean;
};

export const defaultModelSettings: ModelSettings = {
  hiddenLayers: [64, 32],
  activation: 'relu',
  learningRate: 0.002,
  epochs: 10,
  batchSize: 256,
  useWeights: true,
};

export const activations: Activation[] = ['relu', 'tanh', 'elu', 'sigmoid'];

/** Problems with the settings, each a sentence the form can show; empty when they are usable. */
export function checkModelSettings(s: ModelSettings): string[] {
  const problems: string[] = [];
  if (s.hiddenLayers.length < 1 || s.hiddenLayers.length > 6) problems.push('Use between 1 and 6 hidden layers.');
  if (s.hiddenLayers.some((w) => !Number.isInteger(w) || w < 1 || w > 1024)) problems.push('Layer widths must be whole numbers from 1 to 1024.');
  if (!(s.learningRate > 0 && s.learningRate <= 1)) problems.push('The learning rate must be in (0, 1].');
  if (!Number.isInteger(s.epochs) || s.epochs < 1 || s.epochs > 200) problems.push('Epochs must be a whole number from 1 to 200.');
  if (!Number.isInteger(s.batchSize) || s.batchSize < 8 || s.batchSize > 8192) problems.push('The batch size must be a whole number from 8 to 8192.');
  if (!activations.includes(s.activation)) problems.push(`The activation must be one of ${activations.join(', ')}.`);
  return problems;
}

/** "64, 32" → [64, 32]; anything unreadable becomes NaN so that checkModelSettings names it. */
export function parseHiddenLayers(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
}
