import { describe, expect, it } from 'vitest';
import { ModelRunError } from './model-run-error';
import { outputLayoutOf, readScores } from './model-output';

function errorOf(run: () => unknown): ModelRunError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModelRunError) return error;
    throw error;
  }
  throw new Error('expected a ModelRunError');
}

describe('model outputs', () => {
  it('accepts [N], [N, 1] and [N, 2] and nothing else', () => {
    expect(outputLayoutOf([5], 5)).toBe('probability');
    expect(outputLayoutOf([5, 1], 5)).toBe('probability');
    expect(outputLayoutOf([5, 2], 5)).toBe('two-class');
    for (const dims of [[5, 3], [4, 1], [1, 5], [5, 1, 1], [], [10]]) expect(outputLayoutOf(dims, 5), JSON.stringify(dims)).toBeNull();
  });

  it('reads column 1 of a two-class output as the score', () => {
    const scores = readScores({ dims: [3, 2], dtype: 'float32', data: Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.5, 0.5]) }, 3, { table: 't', firstRow: 1 });
    expect(Array.from(scores)).toEqual([Math.fround(0.1), Math.fround(0.8), 0.5]);
  });

  it('names the first row (1-based, in the table) and the id of a NaN score', () => {
    const data = Float32Array.from([0.1, 0.2, Number.NaN, 2]);
    const error = errorOf(() => readScores({ dims: [4, 1], dtype: 'float32', data }, 4, { table: 'the ces_up test set', firstRow: 8193, ids: [10, 11, 12, 13] }));
    expect(error.kind).toBe('BAD_OUTPUT');
    expect(error.message).toBe("the ces_up test set row 8195 (id 12): the model's score is NaN; expected a probability in [0, 1]");
    expect(error.details).toMatchObject({ row: 8195, id: 12, found: 'NaN' });
  });

  it('refuses scores outside [0, 1] at either end, and infinities', () => {
    for (const bad of [-0.001, 1.0001, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const error = errorOf(() => readScores({ dims: [2], dtype: 'float32', data: Float32Array.from([0.5, bad]) }, 2, { table: 'f.csv', firstRow: 1 }));
      expect(error.message).toContain('f.csv row 2:');
    }
    expect(Array.from(readScores({ dims: [2], dtype: 'float32', data: Float32Array.from([0, 1]) }, 2, { table: 'f', firstRow: 1 }))).toEqual([0, 1]);
  });

  it('refuses a wrong shape or an integer output with what was expected', () => {
    expect(errorOf(() => readScores({ dims: [2, 3], dtype: 'float32', data: new Float32Array(6) }, 2, { table: 't', firstRow: 1 })).message).toMatch(/shape \[2, 3\]; expected \[N\] or \[N, 1\]/);
    expect(errorOf(() => readScores({ dims: [2], dtype: 'int64', data: new Float32Array(0) }, 2, { table: 't', firstRow: 1 })).message).toMatch(/type int64/);
  });
});
