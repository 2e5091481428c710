import type { ReactNode } from 'react';
import { SiteHeader } from '@/app/_components/site-header';
import { getSessionUser } from '@/lib/server/auth/get-session-user';

/** Every page rendered per request, with the signed-in user's navigation. */
export default async function SiteLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  return (
    <>
      <SiteHeader user={user} />
      <main className="container">{children}</main>
    </>
  );
}
