import { afterEach, describe, expect, it } from 'vitest';
import { memoUntilTablesChange } from './memo-until-tables-change';
import { markTableChanged, tableChanges } from './table-changes';

afterEach(() => {
  tableChanges.isWatching = false;
  tableChanges.memos.clear();
});

describe('memoUntilTablesChange', () => {
  it('computes every time while no process-wide watch of table writes is on', async () => {
    let calls = 0;
    const compute = async () => ++calls;
    await memoUntilTablesChange('t', 'k', ['users'], compute);
    await memoUntilTablesChange('t', 'k', ['users'], compute);
    expect(calls).toBe(2);
  });

  it('keeps a result until one of its tables (or everything) is marked written, and only those tables count', async () => {
    tableChanges.isWatching = true;
    let calls = 0;
    const compute = async () => ++calls;
    expect(await memoUntilTablesChange('t', 'k', ['users', 'phases'], compute)).toBe(1);
    expect(await memoUntilTablesChange('t', 'k', ['users', 'phases'], compute)).toBe(1);
    markTableChanged('submissions');
    expect(await memoUntilTablesChange('t', 'k', ['users', 'phases'], compute)).toBe(1);
    markTableChanged('phases');
    expect(await memoUntilTablesChange('t', 'k', ['users', 'phases'], compute)).toBe(2);
    markTableChanged(null);
    expect(await memoUntilTablesChange('t', 'k', ['users', 'phases'], compute)).toBe(3);
    expect(await memoUntilTablesChange('t', 'other', ['users', 'phases'], compute)).toBe(4);
  });

  it('shares one pending computation, forgets a failed one, and computes afresh inside a transaction', async () => {
    tableChanges.isWatching = true;
    let calls = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 5));
    expect(await Promise.all([memoUntilTablesChange('t', 'k', ['users'], slow), memoUntilTablesChange('t', 'k', ['users'], slow)])).toEqual([1, 1]);
    await expect(memoUntilTablesChange('t', 'bad', ['users'], async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await memoUntilTablesChange('t', 'bad', ['users'], async () => 'now fine')).toBe('now fine');
    expect(await memoUntilTablesChange('t', 'k', ['users'], slow, { inTransaction: true })).toBe(2);
  });

  it('drops a result computed while its table was written (the stamp is taken before computing)', async () => {
    tableChanges.isWatching = true;
    let calls = 0;
    await memoUntilTablesChange('t', 'k', ['users'], async () => {
      markTableChanged('users');
      return ++calls;
    });
    expect(await memoUntilTablesChange('t', 'k', ['users'], async () => ++calls)).toBe(2);
  });
});
