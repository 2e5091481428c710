import type { ActionResult } from '@/lib/shared/action-result';
import type { DefinitionIssueDto } from '@/lib/shared/dto/organised-challenge-dto';

/** The issues of a refused definition (`path: message`), when the service listed them. */
export function issuesOf(result: ActionResult<unknown> | null): DefinitionIssueDto[] {
  if (!result || result.ok) return [];
  const issues = result.error.details.issues;
  return Array.isArray(issues) ? (issues as DefinitionIssueDto[]) : [];
}
