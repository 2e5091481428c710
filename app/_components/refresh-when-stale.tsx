'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * A cached page that was already old when it arrived (its first visit in a while is served from the cache while a
 * fresh copy renders) fetches the fresh copy once it is ready: at most `attempts` refreshes, a second apart.
 */
export function RefreshWhenStale({ renderedAt, maxAgeSeconds, attempts = 3 }: { renderedAt: string; maxAgeSeconds: number; attempts?: number }) {
  const router = useRouter();
  const tries = useRef(0);
  useEffect(() => {
    const age = Date.now() - new Date(renderedAt).getTime();
    if (age <= maxAgeSeconds * 1000 || tries.current >= attempts) return;
    tries.current += 1;
    const timer = setTimeout(() => router.refresh(), 1000);
    return () => clearTimeout(timer);
  }, [renderedAt, maxAgeSeconds, attempts, router]);
  return null;
}
