import { describe, expect, it } from 'vitest';
import { collectionFromLists, counts, filterObjects, sortObjects, takeEvents } from './collection';
import { deltaPhi, deltaR, fourMomentum, invariantMass, massOf, sumFourMomenta, transverseMass } from './kinematics';
import { removeOverlaps } from './overlap-removal';
import { leading, maxPerEvent, sumPerEvent } from './reductions';

const jets = collectionFromLists('jets', [
  { pt: [50, 30, 10], eta: [0, 1, 2], phi: [0, 1, 2] },
  { pt: [], eta: [], phi: [] },
  { pt: [70], eta: [-1], phi: [3] },
]);

describe('columnar collections', () => {
  it('pads the leading-N objects with the missing value and scales only present values', () => {
    const [first, second] = leading(jets, 'pt', 2, -25, 0.5);
    expect(Array.from(first as Float32Array)).toEqual([25, -25, 35]);
    expect(Array.from(second as Float32Array)).toEqual([15, -25, -25]);
  });

  it('counts, sums and takes maxima per event, with the missing value for empty events', () => {
    expect(Array.from(counts(jets))).toEqual([3, 0, 1]);
    expect(Array.from(sumPerEvent(jets, 'pt'))).toEqual([90, 0, 70]);
    expect(Array.from(maxPerEvent(jets, 'eta', -999))).toEqual([2, -999, -1]);
  });

  it('filters objects and events, keeping every field aligned with its offsets', () => {
    const hard = filterObjects(jets, Array.from(jets.fields.pt as Float32Array, (pt) => pt > 20));
    expect(Array.from(hard.offsets)).toEqual([0, 2, 2, 3]);
    expect(Array.from(hard.fields.eta as Float32Array)).toEqual([0, 1, -1]);
    const some = takeEvents(jets, Int32Array.of(0, 2));
    expect(Array.from(some.offsets)).toEqual([0, 3, 4]);
    expect(Array.from(some.fields.phi as Float32Array)).toEqual([0, 1, 2, 3]);
    expect(() => filterObjects(jets, [1, 0])).toThrow(/2 flags for 4 objects/);
  });

  it('sorts objects within each event by a field, ties in stored order', () => {
    const c = collectionFromLists('c', [{ pt: [10, 30, 20, 30], id: [0, 1, 2, 3] }, { pt: [5], id: [4] }]);
    const sorted = sortObjects(c, 'pt');
    expect(Array.from(sorted.fields.id as Float32Array)).toEqual([1, 3, 2, 0, 4]);
    expect(Array.from(sortObjects(c, 'pt', 'ascending').fields.id as Float32Array)).toEqual([0, 2, 1, 3, 4]);
  });

  it('removes objects strictly within ΔR of any reference object in the same event only', () => {
    const electrons = collectionFromLists('electrons', [{ eta: [0.05], phi: [0.05] }, { eta: [], phi: [] }, { eta: [-1], phi: [3.1] }]);
    const cleaned = removeOverlaps(jets, electrons, 0.2);
    expect(Array.from(cleaned.offsets)).toEqual([0, 2, 2, 2]);
    expect(Array.from(cleaned.fields.pt as Float32Array)).toEqual([30, 10]);
  });
});

describe('kinematics', () => {
  it('wraps Δφ into [−π, π] and takes ΔR across the ±π boundary', () => {
    expect(deltaPhi(3, -3)).toBeCloseTo(6 - 2 * Math.PI, 12);
    expect(deltaPhi(-3, 3)).toBeCloseTo(2 * Math.PI - 6, 12);
    expect(deltaR(0, 3.1, 0, -3.1)).toBeCloseTo(2 * Math.PI - 6.2, 12);
  });

  it('gives the mass of two back-to-back massless objects as twice their momentum, and of one object its own mass', () => {
    const a = fourMomentum(45, 0, 0);
    const b = fourMomentum(45, 0, Math.PI);
    expect(invariantMass([a, b])).toBeCloseTo(90, 10);
    expect(massOf(fourMomentum(40, 1.3, 0.4, 5))).toBeCloseTo(5, 8);
    // A W → ℓν at rest, both transverse: mT = m.
    expect(transverseMass(40, 0, 40, Math.PI)).toBeCloseTo(80, 10);
    const sum = sumFourMomenta([a, b]);
    expect(sum.px).toBeCloseTo(0, 10);
  });
});
