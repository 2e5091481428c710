'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** A row of tab links; the one for the current page is marked (aria-current), the first only on an exact match. */
export function TabLinks({ tabs }: { tabs: ReadonlyArray<{ label: string; href: string; testId?: string }> }) {
  const pathname = usePathname();
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
