import { NotFoundMessage } from '@/app/_components/not-found-message';

/** notFound() from a page of the site, shown inside its navigation. */
export default function SiteNotFound() {
  return <NotFoundMessage />;
}
