import type { JsrootApi } from './jsroot-api';

/** Offers `data` as a file download named `fileName`. */
function download(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The SVG JSROOT drew into `box`, as a standalone document (namespaces set, size fixed). */
export function serialiseDrawnSvg(box: HTMLElement): string {
  const svg = box.querySelector('svg');
  if (!svg) throw new Error('Nothing is drawn yet.');
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  copy.style.background = '#fff';
  return new XMLSerializer().serializeToString(copy);
}

export function exportSvg(box: HTMLElement, name: string): void {
  download(`${name}.svg`, new Blob([serialiseDrawnSvg(box)], { type: 'image/svg+xml' }));
}

/** Rasterises the drawn SVG at twice its size on a white background. */
export async function exportPng(box: HTMLElement, name: string): Promise<void> {
  const text = serialiseDrawnSvg(box);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The drawing could not be turned into a PNG.'));
      image.src = url;
    });
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, image.width * scale);
    canvas.height = Math.max(1, image.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw a PNG.');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The PNG could not be written.');
    download(`${name}.png`, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The drawn object (canvas with its histograms) as ROOT JSON, which ROOT's TBufferJSON::FromJSON reads back. */
export function exportRootJson(api: JsrootApi, object: object, name: string): void {
  download(`${name}.root.json`, new Blob([api.toJSON(object, 1)], { type: 'application/json' }));
}
