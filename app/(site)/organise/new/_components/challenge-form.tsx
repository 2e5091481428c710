'use client';

import { startTransition, useActionState, useState, type FormEvent, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';
import type { DatasetVersionDto } from '@/lib/shared/dto/dataset-version-dto';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { issuesOf } from '@/app/_components/issues-of';
import { ProblemList } from '@/app/_components/problem-list';
import { createFromFormAction } from '../actions';

export type MetricOption = { id: string; label: string; task: 'binary-classification' | 'interval-estimation'; direction: string };

const tasks = [
  ['binary-classification', 'Binary classification (one score per test event)'],
  ['interval-estimation', 'Interval estimation (μ̂ with a 68 % interval per pseudo-experiment)'],
] as const;

const defaultPrimary: Record<string, string> = { 'binary-classification': 'ams_best', 'interval-estimation': 'quantile_score' };

export function ChallengeForm({ datasets, metrics }: { datasets: DatasetVersionDto[]; metrics: MetricOption[] }) {
  const [result, dispatch, isPending] = useActionState<ActionResult<ChallengeChangeDto> | null, FormData>(createFromFormAction, null);
  const [task, setTask] = useState<string>('binary-classification');
  const [phaseCount, setPhaseCount] = useState(1);
  const issues = issuesOf(result);
  /** Messages for a field, by the definition path(s) it fills. */
  const problem = (...paths: string[]): ReactNode => {
    const messages = issues.filter((i) => paths.some((p) => i.path === p || i.path.startsWith(`${p}.`))).map((i) => i.message);
    return messages.length > 0 ? (
      <span className="error small" data-testid={`field-error-${paths[0]}`}>
        {messages.join('; ')}
      </span>
    ) : null;
  };
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }
  const taskMetrics = metrics.filter((m) => m.task === task);
  const taskDatasets = datasets.filter((d) => d.tasks.includes(task as DatasetVersionDto['tasks'][number]));
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form onSubmit={onSubmit} className="form wide-form" data-testid="challenge-form">
      <label>
        Title
        <input type="text" name="title" required maxLength={200} data-testid="form-title" />
        {problem('title')}
      </label>
      <label>
        Slug (the address: lower-case letters, digits and dashes)
        <input type="text" name="slug" required pattern="[a-z0-9][a-z0-9\-]{1,62}" data-testid="form-slug" />
        {problem('slug')}
      </label>
      <label>
        Summary (one or two sentences for the challenge list)
        <input type="text" name="summary" required maxLength={500} data-testid="form-summary" />
        {problem('summary')}
      </label>
      <label>
        Task
        <select name="task" value={task} onChange={(e) => setTask(e.target.value)} data-testid="form-task">
          {tasks.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {problem('task')}
      </label>
      <label>
        Dataset version
        <select name="datasetVersion" data-testid="form-dataset">
          {taskDatasets.length === 0 && <option value="">no registered version fits this task</option>}
          {taskDatasets.map((d) => (
            <option key={`${d.dataset}@${d.version}`} value={`${d.dataset}@${d.version}`}>
              {d.dataset} {d.version} — {d.title}
              {d.isToy ? ' (toy)' : ''}
            </option>
          ))}
        </select>
        {problem('dataset')}
      </label>
      <fieldset>
        <legend>Metrics (the primary one ranks the leaderboard)</legend>
        <div className="checks" key={task}>
          {taskMetrics.map((m) => (
            <label key={m.id} className="checkbox">
              <input type="checkbox" name="metrics" value={m.id} defaultChecked={m.id === defaultPrimary[task]} data-testid={`form-metric-${m.id}`} /> {m.label}{' '}
              <span className="muted small">
                ({m.id}, {m.direction})
              </span>
            </label>
          ))}
        </div>
        <label>
          Primary metric
          <select name="primaryMetric" key={task} defaultValue={defaultPrimary[task]} data-testid="form-primary-metric">
            {taskMetrics.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        {problem('metrics')}
      </fieldset>
      <div className="row">
        <label>
          Public fraction of the test set
          <input type="number" name="publicFraction" min="0.01" max="0.99" step="0.01" defaultValue="0.3" data-testid="form-public-fraction" />
          {problem('splits.publicFraction')}
        </label>
        <label>
          Split seed (empty: random)
          <input type="number" name="seed" min="0" step="1" data-testid="form-seed" />
          {problem('splits.seed')}
        </label>
      </div>
      <fieldset>
        <legend>Phases (times in UTC)</legend>
        {Array.from({ length: phaseCount }, (_, i) => (
          <div key={i} className="row phase-fields" data-testid={`form-phase-${i}`}>
            <label>
              Key
              <input type="text" name={`phases.${i}.key`} defaultValue={i === 0 ? 'open' : `phase-${i + 1}`} data-testid={`form-phase-${i}-key`} />
              {problem(`phases.${i}.key`)}
            </label>
            <label>
              Title
              <input type="text" name={`phases.${i}.title`} defaultValue={i === 0 ? 'Open phase' : `Phase ${i + 1}`} data-testid={`form-phase-${i}-title`} />
            </label>
            <label>
              Opens
              <input type="datetime-local" name={`phases.${i}.opensAt`} defaultValue={i === 0 ? `${today}T00:00` : ''} data-testid={`form-phase-${i}-opens`} />
              {problem(`phases.${i}.opensAt`)}
            </label>
            <label>
              Closes (empty: when you close it)
              <input type="datetime-local" name={`phases.${i}.closesAt`} data-testid={`form-phase-${i}-closes`} />
              {problem(`phases.${i}.closesAt`)}
            </label>
            <label>
              Per day
              <input type="number" name={`phases.${i}.maxPerDay`} min="1" step="1" defaultValue="5" data-testid={`form-phase-${i}-per-day`} />
              {problem(`phases.${i}.maxPerDay`)}
            </label>
            <label>
              In total (empty: no limit)
              <input type="number" name={`phases.${i}.maxTotal`} min="1" step="1" data-testid={`form-phase-${i}-total`} />
              {problem(`phases.${i}.maxTotal`)}
            </label>
          </div>
        ))}
        {problem('phases')}
        <div className="row">
          <button type="button" className="secondary" onClick={() => setPhaseCount((n) => n + 1)} data-testid="form-add-phase">
            Add a phase
          </button>
          {phaseCount > 1 && (
            <button type="button" className="secondary" onClick={() => setPhaseCount((n) => n - 1)}>
              Remove the last phase
            </button>
          )}
        </div>
      </fieldset>
      <details>
        <summary>Pages (markdown; empty ones are generated from the fields above)</summary>
        {(['overview', 'evaluation', 'data', 'terms'] as const).map((name) => (
          <label key={name}>
            {name}
            <textarea name={`pages.${name}`} rows={5} data-testid={`form-page-${name}`} />
            {problem(`pages.${name}`)}
          </label>
        ))}
      </details>
      <button type="submit" disabled={isPending} data-testid="create-from-form">
        {isPending ? 'Checking…' : 'Create draft'}
      </button>
      <ProblemList result={result} testId="form-error" />
    </form>
  );
}
