'use client';

// The same error view as the per-request pages.
export { default } from '../(site)/error';
