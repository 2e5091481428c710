/**
 * The origin the client used (scheme and host), for absolute URLs in API answers. Next rewrites `request.url` to
 * its own listening name (e.g. localhost for 127.0.0.1), so the Host headers decide; a proxy's X-Forwarded-* win.
 */
export function getRequestOrigin(request: Request): string {
  const url = new URL(request.url);
  const first = (value: string | null) => value?.split(',')[0]?.trim() || null;
  const host = first(request.headers.get('x-forwarded-host')) ?? first(request.headers.get('host')) ?? url.host;
  const protocol = first(request.headers.get('x-forwarded-proto')) ?? url.protocol.replace(/:$/, '');
  return `${protocol}://${host}`;
}
