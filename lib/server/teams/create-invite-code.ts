import 'server-only';
import crypto from 'node:crypto';

/** A fresh invite code: 16 random bytes, base64url (22 characters, 128 bits), so codes cannot be guessed. */
export function createInviteCode(): string {
  return crypto.randomBytes(16).toString('base64url');
}
