'use client';

import { useActionState, useState } from 'react';
import type { CreatedApiTokenDto } from '@/lib/shared/dto/api-token-dto';
import type { ActionResult } from '@/lib/shared/action-result';
import { createApiTokenAction } from '../actions';

export function CreateTokenForm() {
  const [result, action, isPending] = useActionState<ActionResult<CreatedApiTokenDto> | null, FormData>(createApiTokenAction, null);
  const [isCopied, setIsCopied] = useState(false);
  const created = result?.ok ? result.data : null;
  return (
    <>
      <form action={action} className="row" onSubmit={() => setIsCopied(false)}>
        <label>
          Token name
          <input name="name" type="text" required maxLength={80} placeholder="laptop" data-testid="token-name" />
        </label>
        <button type="submit" disabled={isPending}>
          {isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {result && !result.ok && (
        <p className="error" role="alert">
          {result.error.message}
        </p>
      )}
      {created && (
        <div className="success" role="status">
          <p>
            Token <strong>{created.apiToken.name}</strong> created. Copy it now: it is shown only this once (only its hash is
            stored).
          </p>
          <p>
            <code data-testid="new-token">{created.token}</code>{' '}
            <button
              type="button"
              className="link-button"
              onClick={async () => {
                await navigator.clipboard.writeText(created.token);
                setIsCopied(true);
              }}
            >
              {isCopied ? 'Copied' : 'Copy'}
            </button>
          </p>
          <p className="small">
            Use it as <code>export ARENA_TOKEN={created.apiToken.prefix}…</code> for the CLI, or send it as{' '}
            <code>Authorization: Bearer …</code>.
          </p>
        </div>
      )}
    </>
  );
}
