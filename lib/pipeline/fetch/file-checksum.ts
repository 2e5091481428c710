import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Checksum, ChecksumAlgorithm } from './release-catalogue';

/** Incremental checksum of any of the algorithms records publish; `digest()` gives lower-case hex. */
export function createChecksum(algorithm: ChecksumAlgorithm): { update(bytes: Uint8Array): void; digest(): string } {
  if (algorithm !== 'adler32') {
    const hash = createHash(algorithm);
    return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest('hex') };
  }
  // Adler-32 (RFC 1950) as CERN Open Data publishes it; sums are reduced every 3800 bytes, well before 2^53.
  let a = 1;
  let b = 0;
  return {
    update(bytes) {
      for (let start = 0; start < bytes.length; start += 3800) {
        const end = Math.min(bytes.length, start + 3800);
        for (let i = start; i < end; i++) {
          a += bytes[i] as number;
          b += a;
        }
        a %= 65521;
        b %= 65521;
      }
    },
    digest: () => (((b << 16) | a) >>> 0).toString(16).padStart(8, '0'),
  };
}

/** Checksum of a file, read as a stream. */
export async function checksumOfFile(file: string, algorithm: ChecksumAlgorithm): Promise<string> {
  const checksum = createChecksum(algorithm);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) checksum.update(chunk as Buffer);
  return checksum.digest();
}

/** "adler32:1a2b3c4d" / "md5:…" / "sha256:…" (how the records write them) → a checksum; null for anything else. */
export function parsePublishedChecksum(text: unknown): Checksum | null {
  if (typeof text !== 'string') return null;
  const match = /^(adler32|md5|sha256):([0-9a-fA-F]+)$/.exec(text.trim());
  return match ? { algorithm: match[1] as ChecksumAlgorithm, value: match[2] as string } : null;
}

/** Equal checksums; adler32 values are compared as numbers (records drop leading zeros). */
export function isSameChecksum(expected: Checksum, found: string): boolean {
  if (expected.algorithm === 'adler32') return Number.parseInt(expected.value, 16) === Number.parseInt(found, 16);
  return expected.value.toLowerCase() === found.toLowerCase();
}
