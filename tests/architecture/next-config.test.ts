import { describe, expect, it } from 'vitest';
import nextConfig from '@/next.config';

describe('next.config.ts', () => {
  it('turns on no experimental option, so `npm start` prints no "Experiments (use with caution)"', () => {
    expect(nextConfig).not.toHaveProperty('experimental');
  });

  it('renders a visitor board older than a minute afresh before showing it (issue 17, bug 4)', () => {
    expect(nextConfig.expireTime).toBe(60);
  });
});
