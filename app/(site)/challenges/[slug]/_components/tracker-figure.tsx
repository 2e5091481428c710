import { TOY_DETECTOR_ENVELOPE, TOY_DETECTOR_FIELD_T, TOY_DETECTOR_SYSTEMS } from '@/lib/shared/tracking/trackml-toy-detector';

/** Example particles drawn through the detector: transverse momentum (GeV), pseudorapidity, azimuth, charge. */
const examples = [
  { pt: 0.35, eta: 0.3, phi: 0.4, q: 1 },
  { pt: 0.6, eta: -0.6, phi: 2.0, q: -1 },
  { pt: 1.2, eta: 1.1, phi: -1.2, q: 1 },
  { pt: 3, eta: 1.8, phi: -2.5, q: -1 },
  { pt: 10, eta: 0.8, phi: 1.1, q: 1 },
  { pt: 0.8, eta: 2.5, phi: 2.8, q: 1 },
] as const;

const colours = { pixel: '#b42318', 'short strip': '#175cd3', 'long strip': '#067647' } as const;
const trackColours = ['#7a2e0e', '#6941c6', '#c11574', '#026aa2', '#344054', '#b54708'];

/** Points of a helix from the origin (mm), every 5 mm of transverse path, up to the envelope or half a turn. */
function helix(p: (typeof examples)[number]): Array<{ x: number; y: number; z: number; r: number }> {
  const radius = (p.pt * 1000) / (0.3 * TOY_DETECTOR_FIELD_T);
  const kappa = -p.q / radius;
  const cot = Math.sinh(p.eta);
  const points = [];
  for (let s = 0; s <= Math.PI * radius; s += 5) {
    const x = (Math.sin(p.phi + kappa * s) - Math.sin(p.phi)) / kappa;
    const y = -(Math.cos(p.phi + kappa * s) - Math.cos(p.phi)) / kappa;
    const z = s * cot;
    const r = Math.hypot(x, y);
    if (r > TOY_DETECTOR_ENVELOPE.radiusMm || Math.abs(z) > TOY_DETECTOR_ENVELOPE.halfLengthMm) break;
    points.push({ x, y, z, r });
  }
  return points;
}

/**
 * The toy tracker of the trackml-toy challenge, drawn from the geometry the generator uses: a transverse (x–y) view of
 * the barrel layers and a side (r–z, z ≥ 0) view of barrels and +z disks, with a few example particles of different
 * pT on their helices in the 2 T field. Pure SVG, rendered on the server.
 */
export function TrackerFigure() {
  const rMax = TOY_DETECTOR_ENVELOPE.radiusMm;
  const zMax = TOY_DETECTOR_ENVELOPE.halfLengthMm;
  const tracks = examples.map(helix);
  // x–y panel: 300 × 300 px for ±1050 mm; r–z panel: 600 × 230 px for z ∈ [0, 3050], r ∈ [0, 1050].
  const xyScale = 145 / 1050;
  const rzX = (z: number) => 10 + (z / 3050) * 580;
  const rzY = (r: number) => 215 - (r / 1050) * 200;
  return (
    <figure className="tracker-figure" data-testid="tracker-figure" style={{ margin: '1rem 0' }}>
      <svg viewBox="0 0 940 260" role="img" aria-label="The toy tracker: barrel layers and endcap disks of the pixel, short-strip and long-strip systems, with example particle tracks" style={{ width: '100%', height: 'auto' }}>
        <g transform="translate(160 125)">
          <text x={0} y={-112} textAnchor="middle" fontSize="12" fill="#1b1f24">
            x–y (along the beam)
          </text>
          {TOY_DETECTOR_SYSTEMS.flatMap((system) =>
            system.barrel.radiiMm.map((r) => <circle key={`${system.name}-${r}`} r={r * xyScale} fill="none" stroke={colours[system.name]} strokeWidth={1} />),
          )}
          {tracks.map((points, k) => (
            <g key={k}>
              <polyline
                fill="none"
                stroke={trackColours[k % trackColours.length]}
                strokeWidth={1.2}
                points={points.filter((p) => p.r <= rMax).map((p) => `${(p.x * xyScale).toFixed(1)},${(-p.y * xyScale).toFixed(1)}`).join(' ')}
              />
            </g>
          ))}
          <circle r={1.5} fill="#1b1f24" />
        </g>
        <g>
          <text x={640} y={14} textAnchor="middle" fontSize="12" fill="#1b1f24">
            r–z (side view, z ≥ 0)
          </text>
          <g transform="translate(330 20)">
            <line x1={rzX(0)} y1={rzY(0)} x2={rzX(zMax)} y2={rzY(0)} stroke="#98a2b3" strokeDasharray="4 3" />
            {TOY_DETECTOR_SYSTEMS.map((system) => (
              <g key={system.name}>
                {system.barrel.radiiMm.map((r) => (
                  <line key={`b${r}`} x1={rzX(0)} y1={rzY(r)} x2={rzX(system.barrel.halfLengthMm)} y2={rzY(r)} stroke={colours[system.name]} strokeWidth={1.5} />
                ))}
                {system.endcap.zMm.map((z) => (
                  <line key={`d${z}`} x1={rzX(z)} y1={rzY(system.endcap.rMinMm)} x2={rzX(z)} y2={rzY(system.endcap.rMaxMm)} stroke={colours[system.name]} strokeWidth={1.5} />
                ))}
              </g>
            ))}
            {tracks.map((points, k) => (
              <polyline
                key={k}
                fill="none"
                stroke={trackColours[k % trackColours.length]}
                strokeWidth={1.2}
                points={points.map((p) => `${rzX(Math.abs(p.z)).toFixed(1)},${rzY(p.r).toFixed(1)}`).join(' ')}
              />
            ))}
            <text x={rzX(3050)} y={rzY(0) + 14} textAnchor="end" fontSize="10" fill="#5b6470">
              z [mm] → 3000
            </text>
            <text x={rzX(0) + 4} y={rzY(1030)} fontSize="10" fill="#5b6470">
              r [mm] ↑ 1030
            </text>
          </g>
        </g>
      </svg>
      <figcaption className="small">
        {TOY_DETECTOR_SYSTEMS.map((system) => (
          <span key={system.name} style={{ marginRight: '1rem' }}>
            <span style={{ color: colours[system.name] }}>■</span> {system.name} (volumes {system.volumes.join('/')})
          </span>
        ))}
        <br />
        Example particles from the collision point with p<sub>T</sub> = {examples.map((e) => e.pt).join(', ')} GeV: the softer, the more they bend in the{' '}
        {TOY_DETECTOR_FIELD_T} T field (the first one curls back before the strips). Every crossing of a layer leaves a hit.
      </figcaption>
    </figure>
  );
}
