/**
 * What the token settings page receives. Lives with the token services because this agent did not own
 * lib/shared/dto/; it is type-only (move to lib/shared/dto/api-token-dto.ts).
 */
export type ApiTokenDto = {
  id: string;
  name: string;
  /** The first 8 characters of the token (`ha_` and 5 more), so the owner can tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** The answer to creating a token: the only time the token itself is ever shown. */
export type CreatedApiTokenDto = { token: string; apiToken: ApiTokenDto };
