'use client';

import { useActionState } from 'react';
import type { ApiTokenDto } from '@/lib/shared/dto/api-token-dto';
import type { ActionResult } from '@/lib/shared/action-result';
import { revokeApiTokenAction } from '../actions';

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [result, action, isPending] = useActionState<ActionResult<ApiTokenDto> | null, FormData>(revokeApiTokenAction, null);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm(`Revoke the token "${name}"? Scripts using it stop working at once.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" className="link-button" disabled={isPending} aria-label={`Revoke ${name}`}>
        {isPending ? 'Revoking…' : 'Revoke'}
      </button>
      {result && !result.ok && <span className="error small"> {result.error.message}</span>}
    </form>
  );
}
