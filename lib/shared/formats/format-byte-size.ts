/**
 * A byte count for messages in binary units with at most two decimals and no trailing zeros: 1073741824 → "1 GiB",
 * 1536 → "1.5 KiB", 999 → "999 B".
 */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(2))} ${units[unit]}`;
}
