import 'server-only';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { challengeDefinitionSchema, type ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { datasetVersions, type DatasetVersion } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import type { DefinitionIssueDto } from '@/lib/shared/dto/organised-challenge-dto';
import type { SessionUser } from '../context';
import { canAttachDataset } from '../datasets/can-attach-dataset';

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function closest(name: string, candidates: string[]): string | undefined {
  return candidates
    .map((c) => ({ c, d: editDistance(name, c) }))
    .filter(({ c, d }) => c !== name && d <= Math.max(1, Math.floor(name.length / 4)))
    .sort((x, y) => x.d - y.d)[0]?.c;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);
}

function toIssue(input: unknown, issue: z.core.$ZodIssue): DefinitionIssueDto {
  const path = issue.path.map(String).join('.') || '(root)';
  const last = String(issue.path.at(-1) ?? '');
  // Some schema messages repeat the field name ("slug: lower-case …"); the path already says it.
  let message = last && issue.message.startsWith(`${last}: `) ? issue.message.slice(last.length + 2) : issue.message;
  const value = valueAt(input, issue.path);
  if (issue.code === 'too_small' && issue.origin === 'string' && value === '') message = 'is required';
  if (issue.code === 'too_small' && issue.origin === 'array' && Array.isArray(value) && value.length === 0) message = 'needs at least one entry';
  if (issue.code === 'invalid_type' && value === undefined) {
    message = `is required (${issue.expected})`;
    const parent = valueAt(input, issue.path.slice(0, -1));
    const near = isRecord(parent) ? closest(last, Object.keys(parent)) : undefined;
    if (near) message += `; found "${near}" — is it misspelt?`;
  }
  return { path, message };
}

/** Fields of the upload that the schema does not know (they would be dropped silently): typos of optional fields. */
function unknownFields(input: unknown, output: unknown, path: string[] = []): DefinitionIssueDto[] {
  if (Array.isArray(input) && Array.isArray(output)) return input.flatMap((item, i) => unknownFields(item, output[i], [...path, String(i)]));
  if (!isRecord(input) || !isRecord(output)) return [];
  return Object.keys(input).flatMap((key) => {
    if (!(key in output)) {
      const near = closest(key, Object.keys(output));
      return [{ path: [...path, key].join('.'), message: `unknown field${near ? `; did you mean "${near}"?` : ''}` }];
    }
    return unknownFields(input[key], output[key], [...path, key]);
  });
}

function definitionError(issues: DefinitionIssueDto[]): AppError {
  const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
  return new AppError('INVALID_CHALLENGE', `The challenge definition has ${count}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`, { issues });
}

export type CheckDefinitionOptions = {
  /** Who sends the definition: attaching a dataset needs its owner's permission (see canAttachDataset). */
  user: SessionUser;
  /** The challenge's dataset before this change: keeping it needs no new permission. */
  currentDataset?: { id: string; version: string };
};

/**
 * Validates a challenge definition an organiser sent (parsed JSON or a form turned into a definition): the schema
 * of challenges/schema.ts, fields it does not know, and that the dataset version is registered, carries what the
 * task is scored against and may be attached by this user. Every problem is listed as `path: message`, e.g.
 * `phases.0.closesAt: closesAt must be after opensAt`, in one INVALID_CHALLENGE error whose details.issues the forms
 * show in place; a dataset the user may not attach is FORBIDDEN, with the same issue list.
 */
export async function checkChallengeDefinition(
  db: Database,
  input: unknown,
  options: CheckDefinitionOptions,
): Promise<{ definition: ChallengeDefinition; datasetVersion: DatasetVersion }> {
  if (!isRecord(input)) throw definitionError([{ path: '(root)', message: 'a challenge definition is a JSON object' }]);
  const parsed = challengeDefinitionSchema.safeParse(input);
  if (!parsed.success) throw definitionError(parsed.error.issues.map((issue) => toIssue(input, issue)));
  const definition = parsed.data;
  const unknown = unknownFields(input, definition);
  if (unknown.length > 0) throw definitionError(unknown);

  const versions = await db.select().from(datasetVersions).where(eq(datasetVersions.dataset, definition.dataset.id));
  const datasetVersion = versions.find((v) => v.version === definition.dataset.version);
  if (!datasetVersion) {
    if (versions.length === 0) {
      const all = await db.select({ dataset: datasetVersions.dataset }).from(datasetVersions);
      const known = [...new Set(all.map((v) => v.dataset))].sort();
      throw definitionError([
        {
          path: 'dataset.id',
          message: `no dataset "${definition.dataset.id}" is registered (registered: ${known.join(', ') || 'none'}); build it with npm run pipeline, then rescan the datasets`,
        },
      ]);
    }
    throw definitionError([
      {
        path: 'dataset.version',
        message: `${definition.dataset.id} version ${definition.dataset.version} is not registered (registered: ${versions.map((v) => v.version).sort().join(', ')}); build it with npm run pipeline, then rescan the datasets`,
      },
    ]);
  }

  const isKept = options.currentDataset?.id === definition.dataset.id && options.currentDataset.version === definition.dataset.version;
  if (!isKept && !(await canAttachDataset(db, options.user, definition.dataset.id))) {
    const issue = {
      path: 'dataset.id',
      message: `dataset "${definition.dataset.id}" belongs to another organiser: its hidden truth may only be attached by its owner or by someone the owner or an admin granted it to; ask them for a grant (npm run admin -- grant-dataset ${definition.dataset.id} <your e-mail>)`,
    };
    throw new AppError('FORBIDDEN', `The challenge definition has a problem: ${issue.path}: ${issue.message}.`, { issues: [issue] });
  }

  const manifest = datasetManifestSchema.parse(datasetVersion.manifest);
  const fileNames = new Set(manifest.files.map((f) => f.name));
  const label = `${manifest.dataset} ${manifest.version}`;
  const issues: DefinitionIssueDto[] = [];
  if (definition.task === 'binary-classification' && !fileNames.has('truth.arrow')) {
    issues.push({ path: 'task', message: `dataset ${label} has no truth.arrow, so it cannot score a binary-classification challenge` });
  }
  if (definition.task === 'interval-estimation' && !fileNames.has('truth_pe.arrow')) {
    issues.push({ path: 'task', message: `dataset ${label} has no truth_pe.arrow (pseudo-experiments), so it cannot score an interval-estimation challenge` });
  }
  definition.scoring.variations.forEach((variation, i) => {
    if (!fileNames.has(`truth@${variation.name}.arrow`)) {
      const available = (manifest.variations ?? []).map((v) => v.name);
      issues.push({
        path: `scoring.variations.${i}.name`,
        message: `dataset ${label} has no variation "${variation.name}" (truth@${variation.name}.arrow); it has ${available.length > 0 ? available.join(', ') : 'none'}`,
      });
    }
  });
  if (issues.length > 0) throw definitionError(issues);
  return { definition, datasetVersion };
}
