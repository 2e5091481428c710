import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findQueryProblem, handlerQueries, matchRoute, pageQueries, routeQueries, type RouteWithQuery } from '@/lib/shared/query/route-queries';

const appDir = path.resolve(__dirname, '..', '..', 'app');

/** Every page and route file of app/ as the route it serves (route groups like `(site)` are not part of the path). */
function listRoutes(kind: 'page.tsx' | 'route.ts'): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name === kind ? [full] : [];
    });
  return walk(appDir)
    .map((file) => '/' + path.relative(appDir, path.dirname(file)).split(path.sep).filter((part) => part && !/^\(.*\)$/.test(part)).join('/'))
    .map((route) => (route === '/' ? '/' : route.replace(/\/$/, '')))
    .sort();
}

/** Values no parameter of any page or route accepts. */
const malformed = ['bogus value with spaces', '-1', '0', '99999999999999999999', 'x'.repeat(3000), '../../etc/passwd', '\u0000', '<script>'];

describe('the query table of lib/shared/query/route-queries.ts', () => {
  it('has an entry for every page and every route handler of app/', () => {
    expect(Object.keys(pageQueries).sort()).toEqual(listRoutes('page.tsx'));
    expect(Object.keys(handlerQueries).sort()).toEqual(listRoutes('route.ts'));
  });

  it('matches request paths to their routes, literal segments before parameters', () => {
    expect(matchRoute('/organise/new')).toBe('/organise/new');
    expect(matchRoute('/organise/some-challenge')).toBe('/organise/[slug]');
    expect(matchRoute('/organise/some-challenge/submissions/')).toBe('/organise/[slug]/submissions');
    expect(matchRoute('/challenges/x/leaderboard/export')).toBe('/challenges/[slug]/leaderboard/export');
    expect(matchRoute('/api/auth/callback/credentials')).toBe('/api/auth/[...nextauth]');
    expect(matchRoute('/no/such/page/here')).toBeNull();
  });

  it('refuses, for every parameter of every route, values that are malformed, and a parameter given twice', () => {
    for (const [route, shape] of Object.entries(routeQueries) as Array<[RouteWithQuery, Record<string, unknown> | null]>) {
      if (!shape) continue;
      for (const name of Object.keys(shape)) {
        const refused = malformed.filter((value) => findQueryProblem(route, new URLSearchParams([[name, value]])) !== null);
        // Free-text parameters (a search, an invite code, a file name) accept short odd text, never overlong text.
        expect(refused.length, `${route} ?${name}`).toBeGreaterThan(0);
        expect(findQueryProblem(route, new URLSearchParams([[name, 'x'.repeat(3000)]]))?.parameter, `${route} ?${name} long`).toBe(name);
        const twice = new URLSearchParams([
          [name, 'a'],
          [name, 'b'],
        ]);
        expect(findQueryProblem(route, twice)?.message, `${route} ?${name} twice`).toContain('must be given once');
      }
    }
  });
});
