import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCspNonce, hashPolicy, inlineScriptHashes, noncePolicy } from './content-security-policy';

describe('content security policy', () => {
  it('never allows inline scripts wholesale', () => {
    for (const policy of [noncePolicy(createCspNonce()), hashPolicy(['abc'])]) {
      const scriptSrc = policy.split('; ').find((d) => d.startsWith('script-src')) ?? '';
      expect(scriptSrc).not.toContain('unsafe-inline');
      expect(scriptSrc).not.toContain("'unsafe-eval'");
    }
  });

  it('makes a fresh, unguessable nonce per request, in the form Next extracts', () => {
    const nonces = new Set(Array.from({ length: 1000 }, createCspNonce));
    expect(nonces.size).toBe(1000);
    const policy = noncePolicy('AbC+/0==');
    expect(policy).toMatch(/^script-src 'nonce-AbC\+\/0==' 'strict-dynamic'/);
  });

  it('hashes exactly the inline scripts of a document, not the external ones', () => {
    const html = `<html><script src="/_next/a.js"></script><script>self.__next_f.push([1,"x"])</script><SCRIPT nonce="n" async>b()</SCRIPT></html>`;
    const expected = ['self.__next_f.push([1,"x"])', 'b()'].map((s) => crypto.createHash('sha256').update(s).digest('base64'));
    expect(inlineScriptHashes(html)).toEqual(expected);
    expect(hashPolicy(expected)).toContain(`'sha256-${expected[0]}'`);
  });
});
