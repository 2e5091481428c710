import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiOperations, toOpenApiPath } from '@/lib/shared/api/api-operations';
import { buildOpenApiDocument } from '@/lib/shared/api/build-openapi-document';
import { handlerQueries } from '@/lib/shared/query/route-queries';

const appDir = path.resolve(__dirname, '..', '..', 'app');
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Every exported HTTP method of every route.ts of app/, as `METHOD /openapi/{path}`. */
function listRouteHandlers(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : entry.name === 'route.ts' ? [full] : [];
    });
  return walk(appDir).flatMap((file) => {
    const route = '/' + path.relative(appDir, path.dirname(file)).split(path.sep).filter((part) => !/^\(.*\)$/.test(part)).join('/');
    const source = fs.readFileSync(file, 'utf8');
    const exported = methods.filter(
      (method) => new RegExp(`export (?:const|async function|function) ${method}\\b`).test(source) || new RegExp(`export \\{[^}]*\\bas ${method}\\b`).test(source),
    );
    expect(exported.length, `${file} exports no HTTP method`).toBeGreaterThan(0);
    return exported.map((method) => `${method} ${toOpenApiPath(route)}`);
  });
}

const document = buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000', version: '0.0.0-test' });
const documented = Object.entries(document.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));

describe('the OpenAPI document (/api/v1/openapi.json)', () => {
  it('describes every route handler of app/, and nothing that does not exist', () => {
    expect([...documented].sort()).toEqual(listRouteHandlers().sort());
  });

  it('takes each operation\'s query parameters from the table its handler parses (route-queries.ts)', () => {
    for (const operation of apiOperations) {
      const entry = document.paths[toOpenApiPath(operation.route)]?.[operation.method] as { parameters?: Array<{ name: string; in: string }> };
      const queryNames = (entry.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(queryNames, operation.operationId).toEqual(Object.keys(handlerQueries[operation.route] ?? {}));
    }
  });

  it('declares every path parameter and resolves every schema reference', () => {
    for (const [template, operations] of Object.entries(document.paths)) {
      const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        const declared = ((operation as { parameters?: Array<{ name: string; in: string }> }).parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
        expect(declared, `${method} ${template}`).toEqual(inTemplate);
      }
    }
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty(ref);
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });

  it('is OpenAPI 3.1 with JSON Schema 2020-12 (no 3.0 nullable), unique operation ids and an error schema for every error status', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.stringify(document)).not.toContain('"nullable"');
    const ids = apiOperations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries((operation as { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }).responses)) {
          if (Number(status) >= 400 && status !== '404' && status !== '503') {
            expect(response.content?.['application/json']?.schema, `${method} ${template} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
          }
        }
      }
    }
  });

  it('fills in one challenge\'s slug, files and predictions header when asked for it', () => {
    const specialised = buildOpenApiDocument({
      serverUrl: 'http://127.0.0.1:3000',
      version: '0.0.0-test',
      challenge: { slug: 'top-tagging-toy', title: 'Top tagging toy', files: ['train.arrow', 'test@ces_up.arrow'], predictionColumns: ['variation', 'id', 'score'] },
    });
    const download = specialised.paths['/api/v1/challenges/{slug}/files/{file}']?.get as { parameters: Array<{ name: string; schema: { enum?: string[] } }> };
    expect(download.parameters.find((p) => p.name === 'slug')?.schema.enum).toEqual(['top-tagging-toy']);
    expect(download.parameters.find((p) => p.name === 'file')?.schema.enum).toEqual(['train.arrow', 'test@ces_up.arrow']);
    const submit = specialised.paths['/api/v1/challenges/{slug}/submissions']?.post as { requestBody: { description: string } };
    expect(submit.requestBody.description).toContain('`variation,id,score`');
    expect(specialised.info.title).toContain('Top tagging toy');
  });
});
