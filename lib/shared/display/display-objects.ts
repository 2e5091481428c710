/**
 * The `events@display` table of a dataset version: one row per drawn object (lepton, tau, jet, large-R jet, cluster,
 * missing transverse momentum) of a bounded sample of TRAINING events, written by the builders that keep objects.
 * Kinematics in GeV and rad; no labels and no weights, so it reveals nothing a training file does not.
 */
export const DISPLAY_TABLE_NAME = 'events@display';
export const DISPLAY_FILE_NAME = `${DISPLAY_TABLE_NAME}.arrow`;

/** Training events a builder writes to the display table at most (the first ones, by row). */
export const DISPLAY_SAMPLE_LIMIT = 500;

/** Object kinds, in drawing order (large objects first, so small markers stay on top). */
export const DISPLAY_OBJECT_KINDS = ['large_r_jet', 'jet', 'cluster', 'tau', 'lepton', 'electron', 'muon', 'met'] as const;
export type DisplayObjectKind = (typeof DISPLAY_OBJECT_KINDS)[number];

export function isDisplayObjectKind(value: string): value is DisplayObjectKind {
  return (DISPLAY_OBJECT_KINDS as readonly string[]).includes(value);
}

/** Columns of events@display. `eta` of a `met` row is 0 and means nothing (MET is transverse). */
export type DisplayTable = {
  eventId: Int32Array;
  object: string[];
  pt: Float32Array;
  eta: Float32Array;
  phi: Float32Array;
  /** Mass in GeV (0 for massless objects). */
  m: Float32Array;
};

export const DISPLAY_COLUMNS = [
  { name: 'event_id', unit: '', description: 'events@display: event_id of the training event the object belongs to.' },
  { name: 'object', unit: '', description: `events@display: object kind (${DISPLAY_OBJECT_KINDS.join(', ')}).` },
  { name: 'pt', unit: 'GeV', description: 'events@display: transverse momentum of the object (for met: its magnitude).' },
  { name: 'eta', unit: 'dimensionless', description: 'events@display: pseudorapidity of the object (0 for met, which has none).' },
  { name: 'phi', unit: 'rad', description: 'events@display: azimuthal angle of the object.' },
  { name: 'm', unit: 'GeV', description: 'events@display: mass of the object (0 when massless).' },
] as const;

/** One drawn object as the display API serves it. */
export type DisplayObjectDto = { kind: DisplayObjectKind; pt: number; eta: number; phi: number; m: number };
export type DisplayEventDto = { eventId: number; objects: DisplayObjectDto[] };

/** Accumulates display rows event by event (used by the builders). */
export class DisplayTableBuilder {
  private readonly eventIds: number[] = [];
  private readonly objects: string[] = [];
  private readonly values: { pt: number[]; eta: number[]; phi: number[]; m: number[] } = { pt: [], eta: [], phi: [], m: [] };

  add(eventId: number, kind: DisplayObjectKind, pt: number, eta: number, phi: number, m = 0): void {
    this.eventIds.push(eventId);
    this.objects.push(kind);
    this.values.pt.push(pt);
    this.values.eta.push(eta);
    this.values.phi.push(phi);
    this.values.m.push(m);
  }

  build(): DisplayTable {
    return {
      eventId: Int32Array.from(this.eventIds),
      object: [...this.objects],
      pt: Float32Array.from(this.values.pt),
      eta: Float32Array.from(this.values.eta),
      phi: Float32Array.from(this.values.phi),
      m: Float32Array.from(this.values.m),
    };
  }
}
