export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatMetric(value: number | null | undefined, precision: number): string {
  if (value === null || value === undefined) return '—';
  if (value === Infinity) return '∞';
  return value.toFixed(precision);
}

export function formatDateTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}
