import { type Collection, eventCount, fieldOf, filterObjects, objectCount } from './collection';
import { deltaR } from './kinematics';

/**
 * Overlap removal by ΔR: drops the objects of `collection` that lie within `maxDeltaR` (strictly closer) of any object
 * of `reference` in the same event, e.g. jets near a selected electron. Both need `eta` and `phi` fields.
 */
export function removeOverlaps(collection: Collection, reference: Collection, maxDeltaR: number): Collection {
  const eta = fieldOf(collection, 'eta');
  const phi = fieldOf(collection, 'phi');
  const refEta = fieldOf(reference, 'eta');
  const refPhi = fieldOf(reference, 'phi');
  const keep = new Uint8Array(objectCount(collection));
  const n = eventCount(collection);
  for (let e = 0; e < n; e++) {
    for (let k = collection.offsets[e] as number; k < (collection.offsets[e + 1] as number); k++) {
      let isClear = true;
      for (let r = reference.offsets[e] as number; r < (reference.offsets[e + 1] as number); r++) {
        if (deltaR(eta[k] as number, phi[k] as number, refEta[r] as number, refPhi[r] as number) < maxDeltaR) {
          isClear = false;
          break;
        }
      }
      keep[k] = isClear ? 1 : 0;
    }
  }
  return filterObjects(collection, keep);
}
