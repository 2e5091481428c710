import type { JsrootApi } from './jsroot-api';

/**
 * Where the browser fetches JSROOT: the prebuilt bundle `node_modules/jsroot/build/jsroot.min.js`, served by the
 * route handler app/(site)/submissions/jsroot.min.js/route.ts.
 */
export const jsrootBundleUrl = '/submissions/jsroot.min.js';

let loading: Promise<JsrootApi> | null = null;

/**
 * The one browser entry point to JSROOT, loaded on first use by a dynamic import the bundler leaves alone.
 *
 * Why not `import('jsroot')`: its ES modules reach node-only packages (fs, zlib, jsdom, canvas, @resvg/resvg-js, tmp,
 * xhr2, mathjax, three) through `import()` calls that only run under Node, but a bundler still follows them, and
 * Next's client build has no fallback for `fs` and cannot bundle jsdom or native `.node` binaries. The prebuilt UMD
 * bundle keeps those packages external, so it evaluates in the browser as an ES module (strict mode, no `this`)
 * and defines `globalThis.JSROOT`; one 2.4 MB file (0.7 MB gzipped), fetched only on pages with plots.
 */
export function loadJsroot(): Promise<JsrootApi> {
  if (typeof window === 'undefined') return Promise.reject(new Error('JSROOT is drawn in the browser only.'));
  loading ??= import(/* webpackIgnore: true */ /* turbopackIgnore: true */ jsrootBundleUrl)
    .then(() => {
      const api = (globalThis as typeof globalThis & { JSROOT?: JsrootApi }).JSROOT;
      if (!api || typeof api.draw !== 'function') throw new Error(`${jsrootBundleUrl} loaded but did not define JSROOT.`);
      return api;
    })
    .catch((error: unknown) => {
      // A failed load (offline, server restarting) may be retried by the next plot instead of failing forever.
      loading = null;
      throw error;
    });
  return loading;
}
