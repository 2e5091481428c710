import Link from 'next/link';
import type { SessionUser } from '@/lib/server/context';
import { NavLink, NavMenu } from './nav-menu';
import { SignOutButton } from './sign-out-button';

/**
 * The site navigation; `user` is null for a visitor (and on the cached public leaderboards). Without `showAccount`
 * the sign-in and account links are left out, for pages rendered without knowing who asks. On phones the links fold
 * into a menu.
 */
export function SiteHeader({ user, showAccount = true }: { user: SessionUser | null; showAccount?: boolean }) {
  return (
    <header className="site-header">
      <nav className="container nav" aria-label="Site">
        <Link href="/" className="brand">
          HEP&nbsp;Arena
        </Link>
        <NavMenu>
          <NavLink href="/challenges" testId="nav-challenges">
            Challenges
          </NavLink>
          <NavLink href="/datasets" testId="nav-datasets">
            Datasets
          </NavLink>
          {user && (
            <NavLink href="/submissions" testId="nav-submissions">
              My submissions
            </NavLink>
          )}
          {(user?.role === 'organiser' || user?.role === 'admin') && (
            <NavLink href="/organise" testId="nav-organise">
              Organise
            </NavLink>
          )}
          {user?.role === 'admin' && (
            <NavLink href="/admin" testId="nav-admin">
              Admin
            </NavLink>
          )}
          <span className="spacer" />
          {!showAccount ? null : user ? (
            <>
              <NavLink href="/settings" testId="nav-settings">
                Settings
              </NavLink>
              <span className="muted" data-testid="signed-in-as">
                {user.name} · {user.role}
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <NavLink href="/sign-in">Sign in</NavLink>
              <Link href="/sign-up" className="button">
                Sign up
              </Link>
            </>
          )}
        </NavMenu>
      </nav>
    </header>
  );
}
