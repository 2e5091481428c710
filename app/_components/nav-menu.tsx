'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';

/**
 * The header's links: in a row on wide screens; on phones folded behind a "Menu" button (the row would not fit),
 * closed again after each navigation.
 */
export function NavMenu({ children }: { children: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setIsOpen(false), [pathname]);
  return (
    <>
      <button
        type="button"
        className="nav-toggle secondary"
        aria-expanded={isOpen}
        aria-controls="site-nav-links"
        onClick={() => setIsOpen((open) => !open)}
        data-testid="nav-toggle"
      >
        {isOpen ? 'Close' : 'Menu'}
      </button>
      <div id="site-nav-links" className={isOpen ? 'nav-links open' : 'nav-links'} data-testid="nav-links">
        {children}
      </div>
    </>
  );
}

/** A header link, marked as the current section (aria-current) on its pages. */
export function NavLink({ href, children, testId, className, exact = false }: { href: string; children: ReactNode; testId?: string; className?: string; exact?: boolean }) {
  const pathname = usePathname();
  const isCurrent = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} className={className} aria-current={isCurrent ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}
