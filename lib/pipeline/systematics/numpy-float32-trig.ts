/**
 * numpy's float32 `sin` and `cos` (the vectorised FMA3/AVX2 path of `loops_trigonometric.dispatch.c.src`, numpy ≥ 1.22:
 * Cody-Waite reduction by π/2 in three float32 FMAs, then degree-8 cosine / degree-9 sine polynomials, max 1.49 ULP).
 * FAIR-Universe's systematics run on float32 columns, and a transverse mass near zero is a difference of large
 * squares, so matching the reference to 1e-4 needs the same last bits as numpy, not a correctly rounded sine.
 * Each float32 FMA is emulated as fround(a·b + c): the product of two float32 is exact in a double.
 */
const f = Math.fround;

function hexFloat(mantissaHex: string, exponent: number): number {
  const [whole, fraction = ''] = mantissaHex.split('.');
  return f((parseInt(`${whole}${fraction}`, 16) / 16 ** fraction.length) * 2 ** exponent);
}

const TWO_OVER_PI = hexFloat('1.45f306', -1);
const PIO2_HIGH = -hexFloat('1.921fb0', 0);
const PIO2_MEDIUM = -hexFloat('1.5110b4', -22);
const PIO2_LOW = -hexFloat('1.846988', -48);
const RINT_MAGIC = hexFloat('1.800000', 23);
const COS_8 = hexFloat('1.98e616', -16);
const COS_6 = -hexFloat('1.6c06dc', -10);
const COS_4 = hexFloat('1.55553c', -5);
const COS_2 = -0.5;
const SIN_9 = hexFloat('1.7d3bbc', -19);
const SIN_7 = -hexFloat('1.a06bba', -13);
const SIN_5 = hexFloat('1.11119a', -7);
const SIN_3 = -hexFloat('1.555556', -3);

function fma(a: number, b: number, c: number): number {
  return f(a * b + c);
}

function sinCos(value: number, isCosine: boolean): number {
  const x = f(value);
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) > (isCosine ? 71476.0625 : 117435.992)) return f(isCosine ? Math.cos(x) : Math.sin(x)); // numpy falls back to libm
  const quadrant = f(f(f(x * TWO_OVER_PI) + RINT_MAGIC) - RINT_MAGIC);
  let r = fma(quadrant, PIO2_HIGH, x);
  r = fma(quadrant, PIO2_MEDIUM, r);
  r = fma(quadrant, PIO2_LOW, r);
  const r2 = f(r * r);
  let cos = fma(COS_8, r2, COS_6);
  cos = fma(cos, r2, COS_4);
  cos = fma(cos, r2, COS_2);
  cos = fma(cos, r2, 1);
  let sin = fma(SIN_9, r2, SIN_7);
  sin = fma(sin, r2, SIN_5);
  sin = fma(sin, r2, SIN_3);
  sin = fma(sin, r2, 0);
  sin = fma(sin, r, r);
  const k = quadrant + (isCosine ? 1 : 0);
  let result = (k & 1) === 0 ? sin : cos;
  if ((k & 2) === 2) result = f(0 - result);
  return result;
}

/** numpy float32 sin (see the module comment). */
export function numpySinFloat32(x: number): number {
  return sinCos(x, false);
}

/** numpy float32 cos (see the module comment). */
export function numpyCosFloat32(x: number): number {
  return sinCos(x, true);
}
