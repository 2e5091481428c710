import zlib from 'node:zlib';

/**
 * Decodes a PNG screenshot (8-bit RGB or RGBA, not interlaced: what Chromium writes) and counts the pixels that
 * differ from the background colour (taken from the top-left pixel) by more than `tolerance` in any channel. A plot
 * that drew nothing but an empty frame has few; a drawn histogram or event view has thousands. `coloured` counts
 * saturated pixels only (fills and markers), which an empty frame of black axes has none of.
 */
export function countDrawnPixels(png: Buffer, tolerance = 24): { width: number; height: number; drawn: number; colours: number; coloured: number } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const bitDepth = data[8];
      const colourType = data[9];
      if (bitDepth !== 8 || data[12] !== 0) throw new Error(`unsupported PNG (bit depth ${bitDepth}, interlace ${data[12]})`);
      channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
      if (!channels) throw new Error(`unsupported PNG colour type ${colourType}`);
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const upLeft = y > 0 && x >= channels ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + x] = ((line[x] as number) + predictor) & 0xff;
    }
  }
  const background = [pixels[0], pixels[1], pixels[2]] as number[];
  let drawn = 0;
  // Saturated pixels: fills and markers, not the black and grey of axes, labels and empty frames.
  let coloured = 0;
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += channels) {
    const r = pixels[i] as number;
    const g = pixels[i + 1] as number;
    const b = pixels[i + 2] as number;
    colours.add((r << 16) | (g << 8) | b);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    if (Math.abs(r - (background[0] as number)) > tolerance || Math.abs(g - (background[1] as number)) > tolerance || Math.abs(b - (background[2] as number)) > tolerance) drawn++;
  }
  return { width, height, drawn, colours: colours.size, coloured };
}
