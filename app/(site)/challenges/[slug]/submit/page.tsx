import Link from 'next/link';
import { formatBytes, formatDateTime, formatRelative } from '@/app/_components/format';
import { getSubmissionAllowance } from '@/lib/server/submissions/get-submission-allowance';
import { getPredictionColumns } from '@/lib/shared/code-snippets';
import type { ChallengeDto } from '@/lib/shared/dto/challenge-dto';
import type { SubmissionAllowanceDto } from '@/lib/shared/dto/submission-allowance-dto';
import { maxPredictionFileBytes } from '@/lib/shared/formats/prediction-target';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { SubmitForm } from './_components/submit-form';
import { challengePageMetadata } from '../challenge-page-metadata';

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params, 'Submit');
}

/** Why nothing can be submitted now: the next phase has not opened, or the last one has closed. */
function ClosedNotice({ challenge, now }: { challenge: ChallengeDto; now: Date }) {
  const upcoming = challenge.phases.filter((p) => p.state === 'upcoming').sort((a, b) => a.opensAt.localeCompare(b.opensAt))[0];
  if (upcoming) {
    return (
      <p className="notice" data-testid="submit-closed" data-reason="upcoming">
        Submissions are closed: {upcoming.title} opens at {formatDateTime(upcoming.opensAt)} ({formatRelative(upcoming.opensAt, now)}).
      </p>
    );
  }
  const closed = challenge.phases.filter((p) => p.state === 'closed' && p.closesAt).sort((a, b) => (b.closesAt ?? '').localeCompare(a.closesAt ?? ''))[0];
  return (
    <p className="notice" data-testid="submit-closed" data-reason="closed">
      Submissions are closed
      {closed?.closesAt ? (
        <>
          : {closed.title} closed at {formatDateTime(closed.closesAt)} ({formatRelative(closed.closesAt, now)}); late submissions are not accepted.{' '}
          <Link href={`/challenges/${challenge.slug}/leaderboard?phase=${encodeURIComponent(closed.key)}&split=private`}>See the private leaderboard</Link>.
        </>
      ) : (
        ': this challenge has no open phase.'
      )}
    </p>
  );
}

function Allowance({ allowance, now, slug }: { allowance: SubmissionAllowanceDto; now: Date; slug: string }) {
  const isDailyLimitReached = allowance.usedToday >= allowance.maxPerDay;
  const isTotalLimitReached = allowance.maxTotal !== null && allowance.usedTotal >= allowance.maxTotal;
  return (
    <section className="panel" data-testid="allowance">
      <h3>{allowance.phaseTitle}</h3>
      <dl className="facts">
        <div>
          <dt>today</dt>
          <dd>
            <strong data-testid="allowance-used-today">
              {allowance.usedToday} of {allowance.maxPerDay}
            </strong>{' '}
            used ·{' '}
            <span data-testid="allowance-resets-at">
              resets at 00:00 UTC ({formatRelative(allowance.resetsAt, now)})
            </span>
          </dd>
        </div>
        <div>
          <dt>in this phase</dt>
          <dd data-testid="allowance-used-total">
            {allowance.maxTotal === null ? `${allowance.usedTotal} used, no total limit` : `${allowance.usedTotal} of ${allowance.maxTotal} used`}
          </dd>
        </div>
        <div>
          <dt>phase closes</dt>
          <dd data-testid="allowance-closes-at">
            {allowance.closesAt ? `${formatDateTime(allowance.closesAt)} (${formatRelative(allowance.closesAt, now)})` : 'no closing date set yet'}
          </dd>
        </div>
        <div>
          <dt>submitting as</dt>
          <dd data-testid="allowance-team">
            {allowance.teamName ? (
              <>
                team <strong>{allowance.teamName}</strong> (limits are shared by the team)
              </>
            ) : (
              <>
                yourself · <Link href={`/challenges/${slug}/team`}>form or join a team</Link>
              </>
            )}
          </dd>
        </div>
      </dl>
      <p className="muted small">Only accepted files count: a rejected or failed file never uses a slot.</p>
      {(isDailyLimitReached || isTotalLimitReached) && (
        <p className="error" data-testid="allowance-exhausted" data-reason={isTotalLimitReached ? 'total' : 'daily'}>
          {isTotalLimitReached
            ? `You have used all ${allowance.maxTotal} submissions of ${allowance.phaseTitle}.`
            : `Daily limit reached: you can submit again after 00:00 UTC (${formatRelative(allowance.resetsAt, now)}).`}
        </p>
      )}
    </section>
  );
}

function ColumnsHelp({ challenge, columns, variationNames }: { challenge: ChallengeDto; columns: string[]; variationNames: string[] }) {
  if (challenge.task === 'track-assignment') {
    return (
      <p>
        One row per hit of every test event: <code data-testid="expected-columns">{columns.join(',')}</code> — <code>event_id</code> and{' '}
        <code>hit_id</code> as in the test hits, <code>track_id</code> any non-negative integer; hits of one event with the same{' '}
        <code>track_id</code> form a track. Every hit exactly once, in any order (the Kaggle TrackML format).
      </p>
    );
  }
  if (challenge.task === 'interval-estimation') {
    return (
      <p>
        One row per pseudo-experiment: <code data-testid="expected-columns">{columns.join(',')}</code> — <code>pe_id</code> the
        pseudo-experiment id, <code>mu_hat</code> your estimate of the signal strength μ, <code>delta_mu_hat</code> its
        uncertainty, and <code>p16</code> ≤ <code>p84</code> the bounds of your 68 % interval. Every pseudo-experiment exactly
        once, in any order.
      </p>
    );
  }
  if (variationNames.length > 0) {
    return (
      <p>
        Columns <code data-testid="expected-columns">{columns.join(',')}</code>: one row per id of the nominal test set with{' '}
        <code>variation</code> = <code>nominal</code>, and one per id of each systematic variation&apos;s test set (
        {variationNames.map((name, k) => (
          <span key={name}>
            {k > 0 && ', '}
            <code>{name}</code>
          </span>
        ))}
        ); a score in [0, 1], rows in any order.
      </p>
    );
  }
  return (
    <p>
      One row per test event: <code data-testid="expected-columns">{columns.join(',')}</code> with a score in [0, 1] for every one
      of the test ids, in any order.
    </p>
  );
}

/** What a model must look like and how it is run, for a phase that takes models. */
function ModelHelp({ challenge, phaseKey }: { challenge: ChallengeDto; phaseKey: string }) {
  const model = challenge.model;
  const phase = model?.phases[phaseKey];
  if (!model || !phase) return null;
  const { limits } = phase;
  return (
    <section className="panel" data-testid="model-help">
      <h3>{phase.submissions === 'models' ? 'Submit a model' : 'Or submit a model'}</h3>
      <p>
        An <strong>ONNX</strong> model (what PyTorch, scikit-learn, XGBoost and Keras export to) or a <strong>TF.js</strong> model
        (model.json zipped with its weight files). Its input is one float32 tensor of shape <code>[N, {model.inputColumns.length}]</code>{' '}
        with these columns, raw, in this order: <code data-testid="model-input-columns">{model.inputColumns.join(', ')}</code>. Its
        output is <code>[N]</code> or <code>[N, 1]</code> (a probability in [0, 1]) or <code>[N, 2]</code> (column 1 is used).
      </p>
      <p className="small muted" data-testid="model-limits">
        At upload it is loaded and run once on 16 rows of zeros; a file that cannot run is refused with the reason. The run on
        the test set{challenge.scoring.variations.length > 0 ? ' and every variation' : ''} may take {limits.timeLimitSeconds} s and{' '}
        {limits.memoryLimitMb} MiB; models up to {formatBytes(limits.maxSizeBytes)}.
        {model.isTestDataHidden ? ' The test features stay on the server: nobody downloads them.' : ''} Check it first with{' '}
        <code>npm run --silent predict -- --model model.onnx --features features.csv --out predictions.csv</code>.
      </p>
    </section>
  );
}

export default async function SubmitPage({ params }: { params: Promise<{ slug: string }> }) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  if (!ctx.user) {
    return (
      <p className="notice">
        <Link href={`/sign-in?callbackUrl=/challenges/${challenge.slug}/submit`}>Sign in</Link> or{' '}
        <Link href="/sign-up">create an account</Link> to submit.
      </p>
    );
  }
  const now = ctx.now();
  const allowance = await getSubmissionAllowance(ctx, challenge.slug);
  if (!allowance) return <ClosedNotice challenge={challenge} now={now} />;
  const variationNames = challenge.scoring.variations.map((v) => v.name);
  const columns = getPredictionColumns(challenge.task, variationNames);
  const isLimitReached = allowance.usedToday >= allowance.maxPerDay || (allowance.maxTotal !== null && allowance.usedTotal >= allowance.maxTotal);
  const modelPhase = challenge.model?.phases[allowance.phaseKey];
  if (modelPhase && modelPhase.submissions === 'models') {
    return (
      <article>
        <h2>Submit a model</h2>
        <Allowance allowance={allowance} now={now} slug={challenge.slug} />
        <ModelHelp challenge={challenge} phaseKey={allowance.phaseKey} />
        <SubmitForm
          challengeSlug={challenge.slug}
          phaseKey={allowance.phaseKey}
          isDisabled={isLimitReached}
          expectedHeader={columns.join(',')}
          accepts="models"
          maxModelBytes={modelPhase.limits.maxSizeBytes}
        />
      </article>
    );
  }
  return (
    <article>
      <h2>Submit predictions</h2>
      <Allowance allowance={allowance} now={now} slug={challenge.slug} />
      <ColumnsHelp challenge={challenge} columns={columns} variationNames={variationNames} />
      <p className="small muted">
        CSV, Arrow IPC (<code>.arrow</code>) or Parquet, each optionally gzipped (<code>.gz</code>), up to{' '}
        {formatBytes(maxPredictionFileBytes)}. The file is streamed to the server and checked at once; a rejected file is not
        stored and does not count. Accepted files are scored on the public and private splits
        {variationNames.length > 0 ? ' and every systematic variation' : ''} in the background. From a script: see{' '}
        <Link href={`/challenges/${challenge.slug}/data#submit-from-code`}>curl and the CLI</Link>.
      </p>
      {modelPhase?.submissions === 'both' && <ModelHelp challenge={challenge} phaseKey={allowance.phaseKey} />}
      <SubmitForm
        challengeSlug={challenge.slug}
        phaseKey={allowance.phaseKey}
        isDisabled={isLimitReached}
        expectedHeader={columns.join(',')}
        accepts={modelPhase?.submissions ?? 'predictions'}
        maxModelBytes={modelPhase?.limits.maxSizeBytes}
      />
    </article>
  );
}
