import { describe, expect, it } from 'vitest';
import { toSameOriginPath } from './same-origin-path';

describe('toSameOriginPath', () => {
  it('refuses every target a browser would resolve to another site or scheme', () => {
    const leaving = [
      '/\\evil.example/',
      '/\\/evil.example/',
      '/\t/evil.example',
      '/\n/evil.example',
      '\\\\evil.example',
      '//evil.example',
      '///evil.example',
      'https://evil.example/',
      'HTTPS://evil.example',
      ' https://evil.example',
      'javascript:alert(1)',
      'data:text/html,x',
      '/\\\t\\evil.example',
      '\t//evil.example',
    ];
    for (const target of leaving) expect([target, toSameOriginPath(target)]).toEqual([target, '/']);
  });

  it('keeps paths on this site with their query and fragment', () => {
    expect(toSameOriginPath('/challenges/higgs?tab=data#files')).toBe('/challenges/higgs?tab=data#files');
    expect(toSameOriginPath('/submissions/1')).toBe('/submissions/1');
    expect(toSameOriginPath('settings/tokens')).toBe('/settings/tokens');
    expect(toSameOriginPath('/a/../b')).toBe('/b');
    expect(toSameOriginPath(undefined, '/home')).toBe('/home');
  });
});
