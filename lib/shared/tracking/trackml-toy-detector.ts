/**
 * Geometry of the toy silicon tracker of the `trackml-toy` challenge, modelled on the TrackML detector (Amrouche et
 * al., arXiv:1904.06778, §2): a pixel, a short-strip and a long-strip system, each a barrel of cylindrical layers
 * and two endcaps of disks, with the TrackML volume ids (7/8/9 pixel, 12/13/14 short strips, 16/17/18 long strips;
 * the middle one is the barrel, the others the −z and +z endcaps) and layer ids 2, 4, 6, … (barrel: inside out;
 * endcaps: in increasing z). Lengths in mm. Shared by the generator (lib/pipeline) and the figure on the pages.
 */

/** One system's shared properties. */
export type DetectorSystem = {
  name: 'pixel' | 'short strip' | 'long strip';
  /** Volume ids of the −z endcap, the barrel and the +z endcap. */
  volumes: readonly [number, number, number];
  /** Module size (rφ × z for the barrel, rφ × r for the disks), mm. */
  moduleMm: readonly [number, number];
  /** Cell pitch along the two module axes (rφ, then z or r), mm. */
  pitchMm: readonly [number, number];
  /** Hit resolution (Gaussian σ) along the two module axes, mm. */
  resolutionMm: readonly [number, number];
  /** Sensor thickness, mm. */
  thicknessMm: number;
  /** Material per layer at normal incidence, in radiation lengths (sensor, support and services). */
  radiationLengths: number;
  /** Probability that a crossing leaves a hit. */
  efficiency: number;
  barrel: { radiiMm: readonly number[]; halfLengthMm: number };
  /** |z| of the disks of each endcap (ascending), and their radial extent. */
  endcap: { zMm: readonly number[]; rMinMm: number; rMaxMm: number };
};

export const TOY_DETECTOR_SYSTEMS: readonly DetectorSystem[] = [
  {
    name: 'pixel',
    volumes: [7, 8, 9],
    moduleMm: [20, 70],
    pitchMm: [0.05, 0.05],
    resolutionMm: [0.015, 0.015],
    thicknessMm: 0.15,
    radiationLengths: 0.012,
    efficiency: 0.99,
    barrel: { radiiMm: [32, 72, 116, 172], halfLengthMm: 491 },
    endcap: { zMm: [600, 700, 820, 960, 1100, 1300, 1500], rMinMm: 30, rMaxMm: 175 },
  },
  {
    name: 'short strip',
    volumes: [12, 13, 14],
    moduleMm: [50, 100],
    pitchMm: [0.08, 1.2],
    resolutionMm: [0.025, 0.35],
    thicknessMm: 0.32,
    radiationLengths: 0.018,
    efficiency: 0.98,
    barrel: { radiiMm: [260, 360, 500, 660], halfLengthMm: 1080 },
    endcap: { zMm: [1220, 1500, 1800, 2150, 2550, 2950], rMinMm: 230, rMaxMm: 700 },
  },
  {
    name: 'long strip',
    volumes: [16, 17, 18],
    moduleMm: [100, 200],
    pitchMm: [0.12, 10.8],
    resolutionMm: [0.035, 3.1],
    thicknessMm: 0.32,
    radiationLengths: 0.02,
    efficiency: 0.98,
    barrel: { radiiMm: [820, 1020], halfLengthMm: 1080 },
    endcap: { zMm: [1220, 1500, 1800, 2150, 2550, 2950], rMinMm: 720, rMaxMm: 1020 },
  },
];

/** Field of the solenoid along +z, tesla. */
export const TOY_DETECTOR_FIELD_T = 2;

/** A sensitive surface: a barrel cylinder or an endcap disk, with its TrackML ids and module grid. */
export type DetectorSurface = {
  kind: 'barrel' | 'disk';
  system: DetectorSystem;
  volumeId: number;
  layerId: number;
  /** Barrel: radius; disk: z (signed). */
  positionMm: number;
  /** Barrel: [−halfLength, halfLength] in z; disk: [rMin, rMax]. */
  extentMm: readonly [number, number];
  /** Modules around φ (barrel: per z row; disk: per ring, innermost first). */
  modulesPhi: readonly number[];
  /** Barrel: rows of modules along z; disk: rings. */
  rows: number;
};

function barrelSurfaces(system: DetectorSystem): DetectorSurface[] {
  const [width, length] = system.moduleMm;
  const { halfLengthMm } = system.barrel;
  const rows = Math.ceil((2 * halfLengthMm) / length);
  return system.barrel.radiiMm.map((radius, k) => ({
    kind: 'barrel',
    system,
    volumeId: system.volumes[1],
    layerId: 2 * (k + 1),
    positionMm: radius,
    extentMm: [-halfLengthMm, halfLengthMm],
    modulesPhi: Array.from({ length: rows }, () => Math.ceil((2 * Math.PI * radius) / width)),
    rows,
  }));
}

function diskSurfaces(system: DetectorSystem, side: -1 | 1): DetectorSurface[] {
  const [width, length] = system.moduleMm;
  const { rMinMm, rMaxMm } = system.endcap;
  const rings = Math.ceil((rMaxMm - rMinMm) / length);
  const ringWidth = (rMaxMm - rMinMm) / rings;
  const modulesPhi = Array.from({ length: rings }, (_, ring) => Math.ceil((2 * Math.PI * (rMinMm + (ring + 0.5) * ringWidth)) / width));
  // Layer ids run 2, 4, … in increasing z on both sides.
  const zs = side === 1 ? system.endcap.zMm.map((z) => z) : system.endcap.zMm.map((z) => -z).reverse();
  return zs.map((z, k) => ({
    kind: 'disk',
    system,
    volumeId: side === 1 ? system.volumes[2] : system.volumes[0],
    layerId: 2 * (k + 1),
    positionMm: z,
    extentMm: [rMinMm, rMaxMm],
    modulesPhi,
    rows: rings,
  }));
}

/** Every sensitive surface of the toy detector, in TrackML (volume, layer) order. */
export const TOY_DETECTOR_SURFACES: readonly DetectorSurface[] = TOY_DETECTOR_SYSTEMS.flatMap((system) => [
  ...diskSurfaces(system, -1),
  ...barrelSurfaces(system),
  ...diskSurfaces(system, 1),
]);

/** Outer envelope of the sensitive volume (a particle leaving it is not followed further), mm. */
export const TOY_DETECTOR_ENVELOPE = { radiusMm: 1030, halfLengthMm: 3000 } as const;

/**
 * The 1-based module id of a point (x, y, z, mm) on a surface, as TrackML numbers modules within a layer: barrel
 * rows along z, then φ; disk rings outwards, then φ. φ measured from −π.
 */
export function moduleIdAt(surface: DetectorSurface, x: number, y: number, z: number): number {
  const phi = Math.atan2(y, x) + Math.PI;
  const [lo, hi] = surface.extentMm;
  const along = surface.kind === 'barrel' ? z : Math.hypot(x, y);
  const row = Math.min(surface.rows - 1, Math.max(0, Math.floor(((along - lo) / (hi - lo)) * surface.rows)));
  let before = 0;
  for (let k = 0; k < row; k++) before += surface.modulesPhi[k] as number;
  const inRow = surface.modulesPhi[row] as number;
  const column = Math.min(inRow - 1, Math.floor((phi / (2 * Math.PI)) * inRow));
  return before + column + 1;
}

/** Total number of modules of a surface. */
export function moduleCount(surface: DetectorSurface): number {
  return surface.modulesPhi.reduce((sum, n) => sum + n, 0);
}
