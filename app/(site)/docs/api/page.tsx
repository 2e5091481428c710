import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { env } from '@/lib/env';
import { getOpenApiDocument } from '@/lib/server/api/get-openapi-document';
import { getRequestContext } from '@/lib/server/request-context';
import { isAppError } from '@/lib/shared/app-error';
import type { OpenApiDocument } from '@/lib/shared/api/build-openapi-document';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { describeJsonSchema, type JsonSchema, schemaProperties } from './describe-json-schema';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'HTTP API' };

type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters?: Array<{ name: string; in: 'path' | 'query'; required: boolean; description?: string; schema: JsonSchema }>;
  requestBody?: { description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  security: Array<Record<string, string[]>>;
};

async function getOrigin(): Promise<string> {
  if (env.NEXTAUTH_URL) return env.NEXTAUTH_URL.replace(/\/+$/, '');
  const list = await headers();
  const host = list.get('x-forwarded-host') ?? list.get('host') ?? 'localhost:3000';
  const protocol = list.get('x-forwarded-proto') ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
  return `${protocol}://${host}`;
}

function whoMayCall(security: Operation['security']): string {
  if (security.length === 0) return 'anyone';
  return security.some((s) => Object.keys(s).length === 0) ? 'anyone; an API token or session shows more' : 'API token or signed-in session';
}

/** The OpenAPI document of /api/v1/openapi.json, rendered: operations by tag, then the schemas they refer to. */
export default async function ApiReferencePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = parseRouteQuery('/docs/api', await searchParams);
  const ctx = await getRequestContext();
  let document: OpenApiDocument;
  try {
    document = await getOpenApiDocument(ctx, { serverUrl: await getOrigin(), challengeSlug: query.challenge });
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const jsonHref = `/api/v1/openapi.json${query.challenge ? `?challenge=${encodeURIComponent(query.challenge)}` : ''}`;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
  );
  return (
    <article className="api-reference">
      <h1>{document.info.title}</h1>
      <p>{document.info.description}</p>
      <p className="small">
        Machine-readable: <a href={jsonHref} data-testid="openapi-json-link">{jsonHref}</a> (OpenAPI {document.openapi}, version{' '}
        {document.info.version}); server <code>{document.servers[0]?.url}</code>. Tokens: <Link href="/settings/tokens">API tokens</Link>. The{' '}
        <code>arena</code> CLI (<code>npm run arena -- --help</code>) wraps the same calls.
      </p>
      {document.tags.map((tag) => {
        const inTag = operations.filter((o) => o.operation.tags.includes(tag.name));
        if (inTag.length === 0) return null;
        return (
          <section key={tag.name}>
            <h2>{tag.name}</h2>
            <p className="muted small">{tag.description}</p>
            {inTag.map(({ path, method, operation }) => (
              <section key={operation.operationId} id={operation.operationId} className="api-operation" data-testid="api-operation">
                <h3>
                  <span className={`badge method-${method}`}>{method.toUpperCase()}</span> <code data-testid="api-path">{path}</code>
                </h3>
                <p>
                  <strong>{operation.summary}</strong>
                  {operation.description ? ` ${operation.description}` : ''}
                </p>
                <p className="muted small">Who may call: {whoMayCall(operation.security)}.</p>
                {operation.parameters && operation.parameters.length > 0 && (
                  <table className="table small">
                    <thead>
                      <tr>
                        <th>parameter</th>
                        <th>in</th>
                        <th>type</th>
                        <th>description</th>
                      </tr>
                    </thead>
                    <tbody>
                      {operation.parameters.map((p) => (
                        <tr key={`${p.in}-${p.name}`}>
                          <td>
                            <code>{p.name}</code>
                            {p.required ? ' (required)' : ''}
                          </td>
                          <td>{p.in}</td>
                          <td>
                            <code>{describeJsonSchema(p.schema)}</code>
                          </td>
                          <td>{p.description}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {operation.requestBody && (
                  <p className="small">
                    Request body ({Object.keys(operation.requestBody.content).join(', ')}): {operation.requestBody.description}{' '}
                    {Object.values(operation.requestBody.content).map((c, i) => (c.schema.$ref ? <code key={i}>{describeJsonSchema(c.schema)}</code> : null))}
                  </p>
                )}
                <ul className="small">
                  {Object.entries(operation.responses).map(([status, response]) => (
                    <li key={status}>
                      <strong>{status}</strong> {response.description}
                      {response.content &&
                        Object.entries(response.content).map(([type, c]) =>
                          c.schema.$ref || type === 'application/json' ? (
                            <span key={type}>
                              {' '}
                              → <SchemaLink schema={c.schema} />
                            </span>
                          ) : null,
                        )}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </section>
        );
      })}
      <h2>Schemas</h2>
      {Object.entries(document.components.schemas).map(([name, schema]) => (
        <section key={name} id={`schema-${name}`} data-testid="api-schema">
          <h3>
            <code>{name}</code>
          </h3>
          {typeof schema.description === 'string' && <p className="small">{schema.description}</p>}
          {schemaProperties(schema).length > 0 ? (
            <table className="table small">
              <tbody>
                {schemaProperties(schema).map((p) => (
                  <tr key={p.name}>
                    <td>
                      <code>{p.name}</code>
                      {p.required ? '' : '?'}
                    </td>
                    <td>
                      <code>{describeJsonSchema(p.schema)}</code>
                    </td>
                    <td>{p.schema.description as string | undefined}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="small">
              <code>{describeJsonSchema(schema)}</code>
            </p>
          )}
        </section>
      ))}
    </article>
  );
}

function SchemaLink({ schema }: { schema: JsonSchema }) {
  const text = describeJsonSchema(schema);
  const name = /^[A-Z]\w*/.exec(text.replace(/^array of /, ''))?.[0];
  return name ? <a href={`#schema-${name}`}><code>{text}</code></a> : <code>{text}</code>;
}
