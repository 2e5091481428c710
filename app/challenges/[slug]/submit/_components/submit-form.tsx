'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { submitPredictionsAction } from '../actions';

export function SubmitForm({ challengeSlug }: { challengeSlug: string }) {
  const [result, action, isPending] = useActionState<ActionResult<SubmissionDto> | null, FormData>(submitPredictionsAction, null);
  return (
    <form action={action} className="form">
      <input type="hidden" name="challengeSlug" value={challengeSlug} />
      <label>
        <span>
          Predictions file (CSV, header <code>id,score</code>)
        </span>
        <input type="file" name="file" accept=".csv,text/csv" required data-testid="predictions-file" />
      </label>
      <button type="submit" disabled={isPending}>
        {isPending ? 'Checking…' : 'Submit'}
      </button>
      {result && !result.ok && (
        <div className="error" role="alert" data-testid="submit-error">
          <strong>Rejected — nothing was stored.</strong> {result.error.message}
        </div>
      )}
      {result?.ok && (
        <div className="success" role="status" data-testid="submit-ok">
          Accepted <code>{result.data.fileName}</code> ({result.data.rows.toLocaleString('en')} rows); status{' '}
          <strong>{result.data.status}</strong>. Follow it under <Link href="/submissions">My submissions</Link> or on the{' '}
          <Link href={`/challenges/${challengeSlug}/leaderboard`}>leaderboard</Link>.
        </div>
      )}
    </form>
  );
}
