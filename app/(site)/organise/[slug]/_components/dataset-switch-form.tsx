'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';
import type { DatasetSwitchPlanDto, DatasetSwitchResultDto } from '@/lib/shared/dto/organised-challenge-dto';
import { attachDatasetAction, planDatasetSwitchAction } from '../actions';

type Version = { version: string; title: string; isToy: boolean; registeredAt: string };

/**
 * Switching the dataset version in two steps: choose a version of the challenge's own dataset (the current one is
 * preselected) and check it, which shows the plan (does it fit, and which entries are rescored); only a plan without
 * problems can be confirmed, and the confirmation carries out exactly that plan.
 */
export function DatasetSwitchForm({ slug, dataset, currentVersion, versions }: { slug: string; dataset: string; currentVersion: string; versions: Version[] }) {
  const [version, setVersion] = useState(currentVersion);
  const [plan, setPlan] = useState<DatasetSwitchPlanDto | null>(null);
  const [result, setResult] = useState<ActionResult<DatasetSwitchResultDto> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const check = () => {
    setPlan(null);
    setResult(null);
    setProblem(null);
    if (version === currentVersion) {
      setProblem(`The challenge uses ${dataset} ${currentVersion} already; choose another version to switch to.`);
      return;
    }
    startTransition(async () => {
      const answer = await planDatasetSwitchAction({ slug, version });
      if (answer.ok) setPlan(answer.data);
      else setProblem(answer.error.message);
    });
  };
  const confirmSwitch = () => {
    if (!plan) return;
    startTransition(async () => {
      const answer = await attachDatasetAction({ slug, version: plan.to.version, planToken: plan.planToken });
      setResult(answer);
      if (answer.ok) setPlan(null);
    });
  };

  return (
    <div className="dataset-switch" data-testid="dataset-switch">
      <div className="row">
        <label>
          version of <code>{dataset}</code>
          <select
            value={version}
            onChange={(e) => {
              setVersion(e.target.value);
              setPlan(null);
              setProblem(null);
            }}
            disabled={isPending}
            data-testid="attach-dataset-version"
          >
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.version === currentVersion ? ' (current)' : ''} — {v.title}
                {v.isToy ? ' (toy)' : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={check} disabled={isPending} data-testid="attach-dataset-check">
          {isPending && !plan ? 'Checking…' : 'Check the switch'}
        </button>
      </div>
      {problem && (
        <p className="error small" role="alert" data-testid="attach-dataset-error">
          {problem}
        </p>
      )}
      {plan && (
        <section className="plan" data-testid="attach-dataset-plan" data-fits={plan.problems.length === 0 ? 'true' : 'false'}>
          <h4>
            Switch from {plan.from.dataset} {plan.from.version} to {plan.to.dataset} {plan.to.version}
          </h4>
          {plan.problems.length > 0 ? (
            <div className="error" role="alert">
              <strong>This version does not fit the challenge and cannot be attached:</strong>
              <ul>
                {plan.problems.map((p) => (
                  <li key={p.aspect + p.message} data-testid="attach-dataset-problem" data-aspect={p.aspect}>
                    <strong>{p.aspect}</strong>: {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <>
              <ul className="small">
                {plan.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
                <li>
                  The revision goes from {plan.revisionAfter - 1} to {plan.revisionAfter}; old scores stay shown until the new ones are in.
                </li>
              </ul>
              <table className="table" data-testid="rescore-plan">
                <thead>
                  <tr>
                    <th>phase</th>
                    <th>state</th>
                    <th className="num">entries rescored</th>
                    <th className="num">being scored now</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.phases.map((p) => (
                    <tr key={p.key} data-testid="rescore-plan-phase" data-phase={p.key} data-count={p.toRescore}>
                      <td>{p.title}</td>
                      <td>{p.state}</td>
                      <td className="num">{p.toRescore}</td>
                      <td className="num">{p.pending}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" onClick={confirmSwitch} disabled={isPending} data-testid="attach-dataset-confirm">
                {isPending ? 'Switching…' : `Confirm: switch and rescore ${plan.totalToRescore} ${plan.totalToRescore === 1 ? 'entry' : 'entries'}`}
              </button>
            </>
          )}
        </section>
      )}
      {result?.ok && (
        <p className="success small" role="status" data-testid="attach-dataset-result">
          Switched from {result.data.from} to {result.data.to}; the challenge is now at revision {result.data.revision}.{' '}
          {result.data.rescored.length > 0
            ? `Rescoring ${result.data.rescored.reduce((sum, r) => sum + r.enqueued, 0)} entries under scoring version ${result.data.rescored[0]?.scoringVersion}.`
            : 'There were no entries to rescore.'}
        </p>
      )}
      {result && !result.ok && (
        <p className="error small" role="alert" data-testid="attach-dataset-error">
          {result.error.message}
        </p>
      )}
    </div>
  );
}
