/** An origin no request can come from: relative targets are resolved against it, never sent anywhere. */
const PROBE_ORIGIN = 'https://same-origin.invalid';

/**
 * The path (with query and fragment) that `target` leads to on this site, or `fallback` when it would leave the site.
 * The target is parsed the way a browser parses a link, so `/\evil.example/`, `/\t/evil.example`, `//evil.example`,
 * `https://evil.example` and `javascript:` all leave (they resolve to another origin or scheme) and are refused,
 * whereas a plain `/challenges/x?tab=1#top` is kept, normalised.
 */
export function toSameOriginPath(target: string | null | undefined, fallback = '/'): string {
  if (!target) return fallback;
  let url: URL;
  try {
    url = new URL(target, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
