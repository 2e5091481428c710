import type { ChallengeDto, DownloadDto } from '@/lib/shared/dto/challenge-dto';

/**
 * The files the in-browser baseline trains and predicts on, or null when a challenge cannot be trained in the
 * browser: a classification task with its training and test sets, and each scored variation's test set, in Arrow.
 * The "Train in your browser" tab is shown only where this is not null.
 */
export function findBrowserTrainingFiles(challenge: Pick<ChallengeDto, 'task' | 'dataset' | 'scoring'>): {
  train: DownloadDto;
  test: DownloadDto;
  variationTests: Array<{ variation: string; file: DownloadDto }>;
} | null {
  if (challenge.task !== 'binary-classification') return null;
  const downloads = challenge.dataset.downloads;
  const train = downloads.find((d) => d.role === 'train' && d.format === 'arrow');
  const test = downloads.find((d) => d.role === 'test' && d.format === 'arrow');
  if (!train || !test) return null;
  const variationTests: Array<{ variation: string; file: DownloadDto }> = [];
  for (const v of challenge.scoring.variations) {
    const file = downloads.find((d) => d.name === `test@${v.name}.arrow`);
    if (!file) return null;
    variationTests.push({ variation: v.name, file });
  }
  return { train, test, variationTests };
}

/**
 * The training set the in-browser baseline needs in a phase that takes models (the open phase, else the last one), or
 * null: it trains on the model's input columns and submits the model itself, which the server runs on test data that
 * is never downloaded, so only a classification task's training set in Arrow is needed.
 */
export function findBrowserModelTraining(challenge: Pick<ChallengeDto, 'task' | 'dataset' | 'model' | 'openPhase' | 'phases'>): {
  train: DownloadDto;
  phaseKey: string;
  inputColumns: string[];
} | null {
  if (challenge.task !== 'binary-classification' || !challenge.model) return null;
  const phaseKey = challenge.openPhase?.key ?? challenge.phases.at(-1)?.key;
  if (!phaseKey || (challenge.model.phases[phaseKey]?.submissions ?? 'predictions') === 'predictions') return null;
  const train = challenge.dataset.downloads.find((d) => d.role === 'train' && d.format === 'arrow');
  return train ? { train, phaseKey, inputColumns: challenge.model.inputColumns } : null;
}
