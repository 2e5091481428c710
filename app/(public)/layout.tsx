import type { ReactNode } from 'react';
import { ViewerSiteHeader } from '@/app/_components/viewer-site-header';

/**
 * Pages rendered once for every viewer and cached (incremental static regeneration): no session is read on the server
 * here; a signed-in viewer's navigation is filled in by the browser (ViewerSiteHeader).
 */
export default function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <ViewerSiteHeader />
      <main className="container">{children}</main>
    </>
  );
}
