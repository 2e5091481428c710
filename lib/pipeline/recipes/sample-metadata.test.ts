import { describe, expect, it } from 'vitest';
import { normaliseEventWeights, parseSampleMetadataCsv } from './sample-metadata';

describe('sample metadata and weights', () => {
  it('normalises mcEventWeights[0] to σ·k·ε·L / Σw (σ in pb, L in fb⁻¹)', () => {
    const table = parseSampleMetadataCsv('dsid,cross_section_pb,k_factor,filter_efficiency,description\n700322,2000,1.1,0.5,Sherpa Z->ee, test\n', 'meta.csv');
    const meta = table.get(700322);
    expect(meta).toEqual({ dsid: 700322, crossSectionPb: 2000, kFactor: 1.1, filterEfficiency: 0.5, description: 'Sherpa Z->ee, test' });
    const w = normaliseEventWeights([2, -1, 4], meta as NonNullable<typeof meta>, 140, 5);
    const perUnit = (2000 * 1.1 * 0.5 * 140_000) / 5;
    expect(Array.from(w)).toEqual([2 * perUnit, -perUnit, 4 * perUnit]);
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(2000 * 1.1 * 0.5 * 140_000, 3);
  });

  it('rejects a bad metadata row naming file, line and column', () => {
    expect(() => parseSampleMetadataCsv('dsid,cross_section_pb,k_factor,filter_efficiency,description\n1,abc,1,1,x\n', 'meta.csv')).toThrow(/meta\.csv line 2 column cross_section_pb: expected a positive number, found "abc"/);
    expect(() => parseSampleMetadataCsv('dsid,xsec\n', 'meta.csv')).toThrow(/line 1: the header must start with dsid,cross_section_pb/);
  });
});
