import { describe, expect, it } from 'vitest';
import { findBrowserModelTraining, findBrowserTrainingFiles } from './browser-training';
import type { ChallengeDto, DownloadDto, PhaseDto } from './dto/challenge-dto';
import type { ModelLimitsDto } from './dto/model-dto';

const file = (name: string, role: DownloadDto['role'], format: string): DownloadDto => ({ name, role, format, sizeBytes: 10, rows: 5, sha256: 'x' });
const phase = (key: string, state: PhaseDto['state']): PhaseDto => ({ id: key, key, title: key, opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 5, maxTotal: null, state });
const limits: ModelLimitsDto = { maxSizeBytes: 1, timeLimitSeconds: 1, memoryLimitMb: 1, maxOutputBytes: 1, batchSize: 1 };

type Challenge = Pick<ChallengeDto, 'task' | 'dataset' | 'scoring' | 'model' | 'openPhase' | 'phases'>;

function challenge(overrides: { task?: string; downloads: DownloadDto[]; variations?: string[]; model?: ChallengeDto['model']; phases?: PhaseDto[] }): Challenge {
  const phases = overrides.phases ?? [phase('open', 'open')];
  return {
    task: overrides.task ?? 'binary-classification',
    dataset: { downloads: overrides.downloads } as unknown as ChallengeDto['dataset'],
    scoring: { bootstrapReplicas: 10, threshold: 0.5, backgroundRelativeUncertainty: 0, variations: (overrides.variations ?? []).map((name) => ({ name, group: name, label: name })) },
    model: overrides.model ?? null,
    openPhase: phases.find((p) => p.state === 'open') ?? null,
    phases,
  };
}

const modelTrack = (submissions: 'predictions' | 'models' | 'both', key = 'open'): ChallengeDto['model'] => ({
  inputColumns: ['a', 'b'],
  isTestDataHidden: submissions === 'models',
  phases: { [key]: { submissions, limits } },
});

describe('findBrowserTrainingFiles', () => {
  it('needs the Arrow training and test sets and the test set of every scored variation', () => {
    const downloads = [file('train.arrow', 'train', 'arrow'), file('test.arrow', 'test', 'arrow'), file('test@up.arrow', 'test', 'arrow')];
    expect(findBrowserTrainingFiles(challenge({ downloads, variations: ['up'] }))?.variationTests.map((v) => v.variation)).toEqual(['up']);
    expect(findBrowserTrainingFiles(challenge({ downloads, variations: ['up', 'down'] }))).toBeNull();
    expect(findBrowserTrainingFiles(challenge({ downloads: downloads.slice(0, 1) }))).toBeNull();
    expect(findBrowserTrainingFiles(challenge({ downloads, task: 'interval-estimation' }))).toBeNull();
  });
});

describe('findBrowserModelTraining', () => {
  const trainOnly = [file('train.arrow', 'train', 'arrow'), file('train.csv', 'train', 'csv')];

  it('offers the training page of a phase that takes models with only the training set downloadable, trained on the model inputs', () => {
    const found = findBrowserModelTraining(challenge({ downloads: trainOnly, model: modelTrack('models') }));
    expect(found).toEqual({ train: trainOnly[0], phaseKey: 'open', inputColumns: ['a', 'b'] });
    // Where the test set is hidden, the predictions trainer has nothing to predict: only the model trainer works.
    expect(findBrowserTrainingFiles(challenge({ downloads: trainOnly, model: modelTrack('models') }))).toBeNull();
    expect(findBrowserModelTraining(challenge({ downloads: trainOnly, model: modelTrack('both') }))?.phaseKey).toBe('open');
  });

  it('is null for a predictions phase, a challenge without a model track, a non-classification task or no Arrow training set', () => {
    expect(findBrowserModelTraining(challenge({ downloads: trainOnly, model: modelTrack('predictions') }))).toBeNull();
    expect(findBrowserModelTraining(challenge({ downloads: trainOnly }))).toBeNull();
    expect(findBrowserModelTraining(challenge({ downloads: trainOnly, model: modelTrack('models'), task: 'track-assignment' }))).toBeNull();
    expect(findBrowserModelTraining(challenge({ downloads: [file('train.csv', 'train', 'csv')], model: modelTrack('models') }))).toBeNull();
  });

  it('follows the open phase, else the last one', () => {
    const phases = [phase('early', 'closed'), phase('late', 'closed')];
    const model: ChallengeDto['model'] = { inputColumns: ['a'], isTestDataHidden: false, phases: { early: { submissions: 'models', limits }, late: { submissions: 'predictions', limits } } };
    expect(findBrowserModelTraining(challenge({ downloads: trainOnly, model, phases }))).toBeNull();
    const open = [phase('early', 'open'), phase('late', 'upcoming')];
    expect(findBrowserModelTraining(challenge({ downloads: trainOnly, model, phases: open }))?.phaseKey).toBe('early');
  });
});
