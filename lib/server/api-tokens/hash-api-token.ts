import 'server-only';
import crypto from 'node:crypto';

/** sha256 (hex) of a token: what the api_tokens table stores instead of the token. */
export function hashApiToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}
