import Link from 'next/link';

export function NotFoundMessage() {
  return (
    <article>
      <h1>Not found</h1>
      <p>
        There is nothing at this address. Back to the <Link href="/">challenges</Link>.
      </p>
    </article>
  );
}
