'use client';

import { useState, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** The invite link with this site's origin (known only in the browser) and a copy button. */
export function InviteLink({ invitePath, inviteCode }: { invitePath: string; inviteCode: string }) {
  const origin = useSyncExternalStore(subscribe, () => window.location.origin, () => '');
  const [isCopied, setIsCopied] = useState(false);
  const link = `${origin}${invitePath}`;
  return (
    <p>
      <code data-testid="invite-link">{link}</code>{' '}
      <button
        type="button"
        className="link-button"
        onClick={async () => {
          await navigator.clipboard.writeText(link);
          setIsCopied(true);
        }}
      >
        {isCopied ? 'Copied' : 'Copy link'}
      </button>
      <br />
      <span className="small muted">
        or share the code <code data-testid="invite-code">{inviteCode}</code>
      </span>
    </p>
  );
}
