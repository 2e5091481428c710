'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/**
 * A row of tab links; the one for the current page is marked (aria-current), the first only on an exact match.
 * `currentHref` names the current page where the address is rewritten (the cached public leaderboards), because
 * the rendered route's path is then not the address the visitor sees.
 */
export function TabLinks({ tabs, currentHref }: { tabs: ReadonlyArray<{ label: string; href: string; testId?: string }>; currentHref?: string }) {
  const routePath = usePathname();
  const pathname = currentHref ?? routePath;
  return (
    <nav className="tabs">
      {tabs.map((tab, index) => {
        const isCurrent = index === 0 ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link key={tab.href} href={tab.href} aria-current={isCurrent ? 'page' : undefined} data-testid={tab.testId}>
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
