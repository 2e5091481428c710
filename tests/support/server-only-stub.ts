// Vitest and tsx scripts load lib/server directly; Next's `server-only` guard only means something inside a bundle.
export {};
