import { describe, expect, it } from 'vitest';
import { findQueryProblem } from './query/route-queries';
import { fromPublicBoardParams, publicBoardRewrites } from './board-query';

describe('the rewrites send every page viewer, API visitors, and only well-formed board addresses to the cached copy', () => {
  const rules = publicBoardRewrites();

  const pageRules = rules.filter((r) => r.source.startsWith('/challenges/'));
  const apiRules = rules.filter((r) => r.source.startsWith('/api/v1/challenges/'));

  it('has one rule per combination of the optional parameters, each absent one required absent', () => {
    expect(pageRules).toHaveLength(8);
    expect(apiRules).toHaveLength(4);
    expect(pageRules.length + apiRules.length).toBe(rules.length);
    for (const [family, keys] of [
      [pageRules, ['page', 'phase', 'split']],
      [apiRules, ['phase', 'split']],
    ] as const) {
      for (const rule of family) {
        const present = (rule.has ?? []).map((h) => h.key);
        const absent = rule.missing.filter((m) => m.type === 'query').map((m) => m.key);
        expect([...present, ...absent].sort()).toEqual(keys);
      }
    }
  });

  it('sends every viewer of the page to the shared copy, but the API only without a session cookie (plain, secure or chunked) or a token', () => {
    for (const rule of pageRules) expect(rule.missing.filter((m) => m.type !== 'query')).toEqual([]);
    for (const rule of apiRules) {
      expect(rule.missing.filter((m) => m.type === 'cookie').map((m) => m.key)).toEqual([
        'next-auth.session-token',
        'next-auth.session-token.0',
        '__Secure-next-auth.session-token',
        '__Secure-next-auth.session-token.0',
      ]);
      expect(rule.missing).toContainEqual({ type: 'header', key: 'authorization' });
    }
  });

  it('writes API paths the cached route reads back as the same query', () => {
    for (const rule of apiRules) {
      const path = rule.destination.replace(':slug', 'top-tagging-toy').replace(':phase', 'final').replace(':split', 'public');
      const [, , , , slug, phase, split] = path.split('/');
      expect(path.startsWith('/api/v1/public-boards/')).toBe(true);
      expect(slug).toBe('top-tagging-toy');
      const has = new Set((rule.has ?? []).map((h) => h.key));
      expect(fromPublicBoardParams({ phase: phase ?? '', split: split ?? '', page: '1' })).toEqual({
        phase: has.has('phase') ? 'final' : undefined,
        split: has.has('split') ? 'public' : undefined,
        page: 1,
      });
    }
  });

  it('writes paths the cached page reads back as the same query', () => {
    const sample = { phase: 'development', split: 'private', page: '12' } as const;
    for (const rule of pageRules) {
      const path = rule.destination.replace(':slug', 'higgs-tautau-toy').replace(/:(phase|split|page)/g, (_, key: keyof typeof sample) => sample[key]);
      const [, , slug, phase, split, page] = path.split('/');
      expect(slug).toBe('higgs-tautau-toy');
      const has = new Set((rule.has ?? []).map((h) => h.key));
      expect(fromPublicBoardParams({ phase: phase ?? '', split: split ?? '', page: page ?? '' })).toEqual({
        phase: has.has('phase') ? 'development' : undefined,
        split: has.has('split') ? 'private' : undefined,
        page: has.has('page') ? 12 : 1,
      });
    }
  });

  it('accepts in its conditions exactly the values the cached page accepts', () => {
    const valueOf = (key: string) => new RegExp(`^${rules.flatMap((r) => r.has ?? []).find((h) => h.key === key)?.value ?? ''}$`);
    for (const page of ['1', '9', '10', '999']) expect(valueOf('page').test(page) && fromPublicBoardParams({ phase: '_', split: '_', page }) !== null).toBe(true);
    for (const page of ['0', '01', '1000', '2.5', '-1', '']) expect(valueOf('page').test(page)).toBe(false);
    for (const split of ['public', 'private']) expect(valueOf('split').test(split)).toBe(true);
    for (const split of ['everything', 'publicx', '_']) expect(valueOf('split').test(split)).toBe(false);
    expect(valueOf('phase').test('final-2')).toBe(true);
    for (const phase of ['../x', '_', 'Final', '-a']) expect(valueOf('phase').test(phase)).toBe(false);
  });
});

describe('the page reads its query as the rewrites do', () => {
  it('accepts every query the rewrites send to a cached copy, and refuses a malformed one', () => {
    for (const query of ['', 'phase=final-2', 'split=private', 'page=999', 'phase=a&split=public&page=3']) {
      expect([query, findQueryProblem('/challenges/[slug]/leaderboard', new URLSearchParams(query))]).toEqual([query, null]);
    }
    expect(findQueryProblem('/challenges/[slug]/leaderboard', new URLSearchParams('split=everything'))?.message).toBe('The query parameter "split" must be "public" or "private"; found "everything".');
    expect(findQueryProblem('/challenges/[slug]/leaderboard', new URLSearchParams('page=2&page=3'))?.message).toBe('The query parameter "page" must be given once; found "2&3".');
  });

  it('refuses cached paths the rewrites never write', () => {
    expect(fromPublicBoardParams({ phase: '_', split: '_', page: '01' })).toBeNull();
    expect(fromPublicBoardParams({ phase: '_', split: 'all', page: '1' })).toBeNull();
    expect(fromPublicBoardParams({ phase: '_', split: '_', page: '1000' })).toBeNull();
    expect(fromPublicBoardParams({ phase: 'Final', split: '_', page: '1' })).toBeNull();
  });
});
