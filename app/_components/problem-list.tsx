import type { ActionResult } from '@/lib/shared/action-result';
import { issuesOf } from './issues-of';

/** A refused action: the sentence, then each problem of the definition by its path. */
export function ProblemList({ result, testId }: { result: ActionResult<unknown> | null; testId: string }) {
  if (!result || result.ok) return null;
  const issues = issuesOf(result);
  return (
    <div className="error" role="alert" data-testid={testId}>
      <strong>{issues.length > 0 ? 'Not saved — fix these and try again:' : result.error.message}</strong>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`} data-testid="definition-issue">
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
