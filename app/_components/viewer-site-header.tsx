'use client';

import { useEffect, useState } from 'react';
import type { SessionUser } from '@/lib/server/context';
import { SiteHeader } from './site-header';

/**
 * The site navigation of a page rendered once for every viewer (the cached leaderboards): the signed-in user's links
 * are filled in after the page arrives, from their session, so the copy itself names nobody.
 */
export function ViewerSiteHeader() {
  const [viewer, setViewer] = useState<{ user: SessionUser | null } | null>(null);
  useEffect(() => {
    let isCurrent = true;
    fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : {}))
      .then((session: { user?: Partial<SessionUser> }) => {
        const user = session.user;
        const isComplete = Boolean(user?.id && user.email && user.role);
        if (isCurrent) setViewer({ user: isComplete ? ({ name: user?.email, ...user } as SessionUser) : null });
      })
      .catch(() => isCurrent && setViewer({ user: null }));
    return () => {
      isCurrent = false;
    };
  }, []);
  return <SiteHeader user={viewer?.user ?? null} showAccount={viewer !== null} />;
}
