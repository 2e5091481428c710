import Link from 'next/link';
import type { SessionUser } from '@/lib/server/context';
import { SignOutButton } from './sign-out-button';

/**
 * The site navigation; `user` is null for a visitor (and on the cached public leaderboards). Without `showAccount`
 * the sign-in and account links are left out, for pages rendered without knowing who asks.
 */
export function SiteHeader({ user, showAccount = true }: { user: SessionUser | null; showAccount?: boolean }) {
  return (
    <header className="site-header">
      <nav className="container nav">
        <Link href="/" className="brand">
          HEP&nbsp;Arena
        </Link>
        <Link href="/">Challenges</Link>
        <Link href="/datasets" data-testid="nav-datasets">
          Datasets
        </Link>
        {user && <Link href="/submissions">My submissions</Link>}
        {(user?.role === 'organiser' || user?.role === 'admin') && (
          <Link href="/organise" data-testid="nav-organise">
            Organise
          </Link>
        )}
        {user?.role === 'admin' && (
          <Link href="/admin" data-testid="nav-admin">
            Admin
          </Link>
        )}
        <span className="spacer" />
        {!showAccount ? null : user ? (
          <>
            <Link href="/settings" data-testid="nav-settings">
              Settings
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
  );
}
