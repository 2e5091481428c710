import type { Metadata } from 'next';
import { getChallengeOr404 } from './get-challenge-or-404';

/** "Data · H→ττ toy: …" for a challenge page, or the challenge's title alone for its overview (one query per request). */
export async function challengePageMetadata(params: Promise<{ slug: string }>, section?: string): Promise<Metadata> {
  const { challenge } = await getChallengeOr404((await params).slug);
  return { title: section ? `${section} · ${challenge.title}` : challenge.title };
}
