import type { ReactNode } from 'react';
import { SiteHeader } from '@/app/_components/site-header';

/**
 * Pages rendered once for every visitor and cached (incremental static regeneration): no session is read here, and
 * the rewrites of next.config.ts send only requests without a session cookie to them.
 */
export default function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteHeader user={null} />
      <main className="container">{children}</main>
    </>
  );
}
