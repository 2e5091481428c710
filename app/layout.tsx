import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { getSessionUser } from '@/lib/server/auth/get-session-user';
import { SignOutButton } from './_components/sign-out-button';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'HEP Arena', template: '%s · HEP Arena' },
  description: 'Machine-learning challenges on particle-physics open data, ranked with honest uncertainties.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav className="container nav">
            <Link href="/" className="brand">
              HEP&nbsp;Arena
            </Link>
            <Link href="/">Challenges</Link>
            {user && <Link href="/submissions">My submissions</Link>}
            {(user?.role === 'organiser' || user?.role === 'admin') && (
              <Link href="/organise" data-testid="nav-organise">
                Organise
              </Link>
            )}
            <span className="spacer" />
            {user ? (
              <>
                <Link href="/settings/tokens" data-testid="nav-tokens">
                  API tokens
                </Link>
                <span className="muted" data-testid="signed-in-as">
                  {user.name} · {user.role}
                </span>
                <SignOutButton />
              </>
            ) : (
              <>
                <Link href="/sign-in">Sign in</Link>
                <Link href="/sign-up" className="button">
                  Sign up
                </Link>
              </>
            )}
          </nav>
        </header>
        <main className="container">{children}</main>
        <footer className="container footer muted">
          HEP Arena · open-source challenges on ATLAS open data (CC0) · scores with their uncertainties
        </footer>
      </body>
    </html>
  );
}
