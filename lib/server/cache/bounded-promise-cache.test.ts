import { describe, expect, it } from 'vitest';
import { BoundedPromiseCache } from './bounded-promise-cache';

describe('BoundedPromiseCache', () => {
  it('loads a key once while it stays cached, and concurrent callers share the pending load', async () => {
    const cache = new BoundedPromiseCache<number>(2);
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get('k', load)).toBe(1);
  });

  it('drops the least recently used key beyond its limit', async () => {
    const cache = new BoundedPromiseCache<string>(2);
    const loaded: string[] = [];
    const load = (key: string) => () => {
      loaded.push(key);
      return Promise.resolve(key);
    };
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a')); // a is now the most recent
    await cache.get('c', load('c')); // evicts b
    expect(cache.size).toBe(2);
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    expect(loaded).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets a load that failed, so the next caller tries again', async () => {
    const cache = new BoundedPromiseCache<number>(4);
    await expect(cache.get('k', () => Promise.reject(new Error('disk gone')))).rejects.toThrow('disk gone');
    await Promise.resolve();
    expect(await cache.get('k', () => Promise.resolve(7))).toBe(7);
  });

  it('empties on clear', async () => {
    const cache = new BoundedPromiseCache<number>(4);
    await cache.get('k', () => Promise.resolve(1));
    cache.clear();
    expect(await cache.get('k', () => Promise.resolve(2))).toBe(2);
  });
});
