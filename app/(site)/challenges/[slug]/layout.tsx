import type { ReactNode } from 'react';
import { ChallengeHeader } from '@/app/_components/challenge-header';
import { getChallengeOr404 } from './get-challenge-or-404';

export const dynamic = 'force-dynamic';

export default async function ChallengeLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { challenge } = await getChallengeOr404(slug);
  return (
    <>
      <ChallengeHeader challenge={challenge} />
      {children}
    </>
  );
}
