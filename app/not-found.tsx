import { NotFoundMessage } from './_components/not-found-message';
import { SiteHeader } from './_components/site-header';

/**
 * An unknown address. It reads no session: Next renders this boundary into every page's payload, and a session read
 * here would make the cached public leaderboards per-request. Pages of the (site) group have their own not-found
 * inside the navigation of the signed-in user.
 */
export default function NotFound() {
  return (
    <>
      <SiteHeader user={null} showAccount={false} />
      <main className="container">
        <NotFoundMessage />
      </main>
    </>
  );
}
