import { describe, expect, it } from 'vitest';
import { challengeDefinitionSchema } from './schema';
import topTaggingModelToy from './top-tagging-model-toy/challenge';
import topTaggingToy from './top-tagging-toy/challenge';

const phase = (key: string, submissions?: 'predictions' | 'models' | 'both') => ({
  key,
  title: key,
  opensAt: '2026-01-01T00:00:00Z',
  closesAt: null,
  maxPerDay: 5,
  ...(submissions ? { submissions } : {}),
});

function problems(input: object): string[] {
  const result = challengeDefinitionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('phases that take models', () => {
  it('keep every existing definition valid: phases take predictions unless they say otherwise', () => {
    expect(problems(topTaggingToy)).toEqual([]);
    expect(problems(topTaggingModelToy)).toEqual([]);
  });

  it('need the model input declared', () => {
    expect(problems({ ...topTaggingToy, phases: [phase('m', 'both')] })).toEqual([expect.stringMatching(/^model: a phase that takes models needs the model input declared/)]);
    expect(problems({ ...topTaggingToy, phases: [phase('m', 'both')], model: { inputColumns: ['a', 'b'] } })).toEqual([]);
    expect(problems({ ...topTaggingToy, phases: [phase('m', 'both')], model: { inputColumns: ['a', 'a'] } })).toEqual([expect.stringMatching(/^model.inputColumns: .*must not repeat/)]);
  });

  it('refuse a predictions phase beside a models-only phase, whose test features stay hidden', () => {
    expect(problems({ ...topTaggingModelToy, phases: [phase('dev'), phase('final', 'models')] })).toContainEqual(expect.stringMatching(/^phases: a phase that takes models only keeps the test features on the server/));
    expect(problems({ ...topTaggingModelToy, phases: [phase('dev', 'both'), phase('final', 'models')] })).toContainEqual(expect.stringMatching(/^phases: a phase that takes models only/));
  });

  it('allow server-only variations only when every phase takes models only', () => {
    expect(problems({ ...topTaggingModelToy, phases: [phase('m', 'both')] })).toEqual([expect.stringMatching(/^scoring.variations: server-only variations need every phase to take models only/)]);
  });

  it('validate model limits', () => {
    expect(problems({ ...topTaggingModelToy, phases: [{ ...phase('m', 'models'), modelLimits: { timeLimitSeconds: 0 } }] })).toEqual([expect.stringMatching(/^phases.0.modelLimits.timeLimitSeconds/)]);
    expect(problems({ ...topTaggingModelToy, phases: [{ ...phase('m', 'models'), modelLimits: { batchSize: 100_000, maxOutputBytes: 4096 } }] })).toEqual([expect.stringMatching(/^phases.0.modelLimits.maxOutputBytes: .*batchSize × 8 bytes/)]);
    expect(challengeDefinitionSchema.parse({ ...topTaggingModelToy, phases: [{ ...phase('m', 'models'), modelLimits: {} }] }).phases[0]?.modelLimits).toEqual({
      maxSizeBytes: 100 * 1024 * 1024,
      timeLimitSeconds: 300,
      memoryLimitMb: 2048,
      maxOutputBytes: 64 * 1024 * 1024,
      batchSize: 8192,
    });
  });
});
