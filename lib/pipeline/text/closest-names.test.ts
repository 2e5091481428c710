import { describe, expect, it } from 'vitest';
import { closestNames, editDistance, globToRegExp } from './closest-names';

describe('closestNames', () => {
  it('suggests the branch a typo was meant to be, same container first', () => {
    const branches = ['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.phi', 'AnalysisJetsAuxDyn.eta', 'AnalysisMuonsAuxDyn.pt', 'EventInfoAuxDyn.eventNumber'];
    expect(closestNames('AnalysisJetsAuxDyn.ptt', branches, 2)).toEqual(['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.phi']);
  });

  it('computes the Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('globToRegExp', () => {
  it('matches * and ? and treats dots and brackets literally', () => {
    expect(globToRegExp('AnalysisJetsAuxDyn.*').test('AnalysisJetsAuxDyn.pt')).toBe(true);
    expect(globToRegExp('AnalysisJetsAuxDyn.*').test('AnalysisJetsAuxDynXpt')).toBe(false);
    expect(globToRegExp('*.p?').test('AnalysisJetsAuxDyn.pt')).toBe(true);
    expect(globToRegExp('a[1]').test('a[1]')).toBe(true);
  });
});
