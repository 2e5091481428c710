import { ArenaHttpError } from './arena-http-error';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type ArenaClient = {
  /** GET a JSON resource of /api/v1. */
  getJson<T>(path: string): Promise<T>;
  /** POST a byte stream (the body is never buffered: fetch with duplex "half"). */
  postStream<T>(path: string, body: ReadableStream<Uint8Array>, headers?: Record<string, string>): Promise<T>;
  /** GET a file; the caller reads the body stream. */
  getFile(path: string): Promise<Response>;
};

/**
 * A small client of the HEP Arena HTTP API. Non-2xx answers become ArenaHttpError carrying the server's own
 * message (`{ error: { code, message } }`); a server that cannot be reached says so with the URL.
 */
export function createArenaClient(options: { url: string; token: string | null; fetch?: FetchLike }): ArenaClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};

  async function request(path: string, init: RequestInit): Promise<Response> {
    const url = `${options.url}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new ArenaHttpError(`Could not reach ${options.url} (${reason}). Is the server running? Set ARENA_URL or --url.`, null, null, { cause: error });
    }
    if (!response.ok) throw await toHttpError(response);
    return response;
  }

  return {
    async getJson<T>(path: string) {
      const response = await request(path, { headers: { accept: 'application/json' } });
      return (await response.json()) as T;
    },
    async postStream<T>(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
      // Node's fetch streams a ReadableStream body only in half-duplex mode (not yet in the DOM RequestInit type).
      const init = { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream', accept: 'application/json', ...headers } };
      const response = await request(path, init as RequestInit);
      return (await response.json()) as T;
    },
    getFile(path: string) {
      return request(path, {});
    },
  };
}

async function toHttpError(response: Response): Promise<ArenaHttpError> {
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): report the status only.
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : null;
  const message = typeof error?.message === 'string' ? error.message : `${response.status} ${response.statusText}`.trim();
  return new ArenaHttpError(`${message} (HTTP ${response.status}${code ? ` ${code}` : ''})`, response.status, code);
}
