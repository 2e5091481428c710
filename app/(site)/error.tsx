'use client';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <article>
      <h1>Something went wrong</h1>
      <p>The error was logged on the server. Try again, or come back later.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </article>
  );
}
