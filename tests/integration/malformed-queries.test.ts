import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findQueryProblem, handlerQueries, type RouteWithQuery } from '@/lib/shared/query/route-queries';
import { makeDataDir } from '../support/factories';

/**
 * Every route handler of app/, called with malformed values for each of its query parameters, each parameter twice,
 * and with junk parameters it does not know: a malformed value answers 400 with the parameter named, and nothing
 * answers 500. (Pages are checked against the running server in tests/e2e/security.spec.ts.)
 */
const dataDir = makeDataDir();
process.env.DATABASE_URL = 'memory://';
process.env.DATA_DIR = dataDir;
process.env.NEXTAUTH_SECRET ??= 'malformed-queries-suite-secret';

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

type Handler = (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Route pattern → its route.ts, found by walking app/ (route groups such as `(site)` are not part of the path). */
function routeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const route = '/' + path.relative('app', dir).split(path.sep).filter((p) => !/^\(.*\)$/.test(p)).join('/');
        files.set(route, full);
      }
    }
  };
  walk('app');
  return files;
}

const sampleParams: Record<string, string> = { slug: 'no-such-challenge', dataset: 'no-such-dataset', version: '1.0.0', file: 'test.csv', id: '00000000-0000-4000-8000-000000000000', phase: '_', split: '_' };
const malformed = ['bogus value', 'x'.repeat(3000), '../../etc/passwd'];

async function call(handler: Handler, method: string, route: string, query: string): Promise<Response> {
  const params = Object.fromEntries([...route.matchAll(/\[([a-z]+)\]/g)].map((m) => [m[1] as string, sampleParams[m[1] as string] ?? 'x']));
  const url = `http://arena.test${route.replace(/\[([a-z]+)\]/g, (_, name: string) => params[name] ?? 'x')}?${query}`;
  const request = new Request(url, { method, ...(method === 'POST' ? { body: 'id,score\n', duplex: 'half' } : {}) } as RequestInit);
  return handler(request, { params: Promise.resolve(params) });
}

describe('malformed query strings on every route handler', () => {
  it('answer 400 naming the parameter, never 500; unknown parameters are ignored', async () => {
    const files = routeFiles();
    for (const [route, shape] of Object.entries(handlerQueries)) {
      if (shape === null) continue;
      const file = files.get(route);
      expect(file, `${route} has a route file`).toBeDefined();
      const module = (await import(path.resolve(file as string))) as Record<string, Handler | undefined>;
      for (const method of ['GET', 'POST'] as const) {
        const handler = module[method];
        if (!handler) continue;
        for (const name of Object.keys(shape)) {
          for (const value of [...malformed, null]) {
            const query = value === null ? `${name}=a&${name}=b` : new URLSearchParams([[name, value]]).toString();
            const response = await call(handler, method, route, query);
            const body = await response.text();
            expect([route, method, name, response.status]).not.toContainEqual(500);
            // A value the table refuses is a 400 naming the parameter; one it accepts (free text) goes on to the handler.
            if (findQueryProblem(route as RouteWithQuery, new URLSearchParams(query))) {
              expect([route, method, name, String(value).slice(0, 20), response.status]).toEqual([route, method, name, String(value).slice(0, 20), 400]);
              expect(body).toContain(`The query parameter \\"${name}\\" must be`);
            }
          }
        }
        const junk = await call(handler, method, route, 'utm_source=mail&%00=%ff&x[]=1');
        expect([route, method, junk.status]).not.toContainEqual(500);
      }
    }
  }, 300_000);
});
