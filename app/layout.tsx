import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'HEP Arena', template: '%s · HEP Arena' },
  description: 'Machine-learning challenges on particle-physics open data, ranked with honest uncertainties.',
};

/**
 * The document. It reads no session, so that the cached public leaderboards (app/(public)) can be rendered once and
 * served to every visitor; the navigation with the signed-in user comes from the (site) layout.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <footer className="container footer muted">
          HEP Arena · open-source challenges on ATLAS open data (CC0) · scores with their uncertainties ·{' '}
          <a href="/docs/api" data-testid="footer-api">HTTP API</a>
        </footer>
      </body>
    </html>
  );
}
