import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatasetVersion } from '@/db/schema';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { DatasetFitProblemDto } from '@/lib/shared/dto/organised-challenge-dto';
import type { LoadedChallenge } from '../challenges/get-challenge-or-throw';
import type { IdIndex, PredictionTarget } from '@/lib/shared/formats/prediction-target';
import type { TrackHitIndex } from '@/lib/shared/formats/track-hit-index';
import { loadChallengeTruth } from '../datasets/load-challenge-truth';
import { TRACK_TRUTH_FILE } from '../datasets/load-track-truth';
import { toPredictionTarget } from '../datasets/to-prediction-target';

export type DatasetCandidate = { definition: ChallengeDefinition; datasetVersion: DatasetVersion; manifest: DatasetManifest };

const sample = (values: Iterable<number | string>, max = 5) => {
  const list = [...values];
  return `${list.slice(0, max).join(', ')}${list.length > max ? `, … (${list.length} in all)` : ''}`;
};

/** The ids of one prediction table: event or pseudo-experiment ids, or a tracking task's (event_id, hit_id) pairs. */
type IdTable = { kind: 'ids'; index: IdIndex } | { kind: 'hits'; hits: TrackHitIndex };

const countOf = (table: IdTable) => (table.kind === 'ids' ? table.index.ids.length : table.hits.hits);

/** The ids of `table` that `other` (a table of the same kind) lacks. */
function idsLackingIn(table: IdTable, other: IdTable): Array<number | string> {
  if (table.kind === 'ids') {
    const there = other.kind === 'ids' ? other.index.rowById : new Map<number, number>();
    return [...table.index.rowById.keys()].filter((id) => !there.has(id));
  }
  const { hits } = table;
  const lacking: string[] = [];
  for (let row = 0; row < hits.hits; row++) {
    const eventId = hits.rowEventIds[row] as number;
    const hitId = hits.rowHitIds[row] as number;
    const event = other.kind === 'hits' ? other.hits.eventOf(eventId) : -1;
    if (event === -1 || (other.kind === 'hits' && other.hits.rowOf(event, hitId) === -1)) lacking.push(`hit ${hitId} of event ${eventId}`);
  }
  return lacking;
}

/** Each table predictions are made for: the nominal and each varied test set, the pseudo-experiments, or the hits. */
function idTables(target: PredictionTarget): Map<string, IdTable> {
  if (target.task === 'interval-estimation') return new Map([['pseudo-experiments', { kind: 'ids', index: target.peIds }]]);
  if (target.task === 'track-assignment') return new Map([['hits', { kind: 'hits', hits: target.hits }]]);
  return new Map([...target.idsByTable].map(([table, index]) => [table, { kind: 'ids', index }]));
}

/**
 * Whether a dataset version can replace a challenge's current one without breaking what participants have and do:
 * it must carry the truth of the task and of every scored variation; it must have every feature column of the current
 * version (their models read them); and, once there are entries, each prediction table (the nominal test set, each
 * variation, the pseudo-experiments, or a tracking task's hits) must have exactly the ids of the current one, since every stored file is
 * rescored against it and any other id set fails them all. Each problem names the aspect and what differs.
 */
export async function checkDatasetFit(
  dataDir: string,
  current: LoadedChallenge,
  candidate: DatasetCandidate,
  entryCount: number,
): Promise<{ problems: DatasetFitProblemDto[]; notes: string[] }> {
  const problems: DatasetFitProblemDto[] = [];
  const notes: string[] = [];
  const label = `${candidate.manifest.dataset} ${candidate.manifest.version}`;
  const files = new Set(candidate.manifest.files.map((f) => f.name));
  const task = current.definition.task;
  const truthFile = task === 'binary-classification' ? 'truth.arrow' : task === 'track-assignment' ? TRACK_TRUTH_FILE : 'truth_pe.arrow';
  if (!files.has(truthFile)) problems.push({ aspect: 'task', message: `${label} has no ${truthFile}, so it cannot score a ${task} challenge` });
  const missingVariations = current.definition.scoring.variations.map((v) => v.name).filter((name) => !files.has(`truth@${name}.arrow`) || !files.has(`test@${name}.arrow`));
  if (missingVariations.length > 0) {
    const available = (candidate.manifest.variations ?? []).map((v) => v.name);
    problems.push({
      aspect: 'variations',
      message: `${label} lacks the systematic variation${missingVariations.length === 1 ? '' : 's'} ${missingVariations.join(', ')} that the challenge scores (it has ${available.join(', ') || 'none'})`,
    });
  }
  const candidateColumns = new Set(candidate.manifest.featureColumns);
  const missingColumns = current.manifest.featureColumns.filter((c) => !candidateColumns.has(c));
  if (missingColumns.length > 0) {
    problems.push({ aspect: 'columns', message: `${label} lacks the feature column${missingColumns.length === 1 ? '' : 's'} ${missingColumns.join(', ')} of the current version` });
  }
  const extraColumns = candidate.manifest.featureColumns.filter((c) => !current.manifest.featureColumns.includes(c));
  if (missingColumns.length === 0) notes.push(`Every feature column of the current version is there${extraColumns.length > 0 ? `, and ${extraColumns.join(', ')} are new` : ''}.`);
  if (problems.some((p) => p.aspect === 'task' || p.aspect === 'variations')) return { problems, notes };

  const [before, after] = await Promise.all([
    loadChallengeTruth(dataDir, current).then(toPredictionTarget),
    loadChallengeTruth(dataDir, { ...current, definition: candidate.definition, datasetVersion: candidate.datasetVersion, manifest: candidate.manifest }).then(toPredictionTarget),
  ]);
  const differences: string[] = [];
  const afterTables = idTables(after);
  for (const [table, ids] of idTables(before)) {
    const next = afterTables.get(table);
    if (!next) continue;
    const missing = idsLackingIn(ids, next);
    const added = idsLackingIn(next, ids);
    if (missing.length === 0 && added.length === 0) continue;
    const name = table === 'nominal' || table === 'hits' ? 'the test set' : table === 'pseudo-experiments' ? 'the pseudo-experiments' : `the ${table} test set`;
    differences.push(
      `${name} has ${countOf(next).toLocaleString('en')} ${ids.kind} instead of ${countOf(ids).toLocaleString('en')}${missing.length > 0 ? `, lacks ${sample(missing)}` : ''}${added.length > 0 ? `, adds ${sample(added)}` : ''}`,
    );
  }
  if (differences.length === 0) notes.push('The test ids are the same, so every stored entry can be rescored against the new truth.');
  else if (entryCount > 0) {
    problems.push({
      aspect: 'test-ids',
      message: `in ${label}, ${differences.join('; ')}: the ${entryCount.toLocaleString('en')} stored ${entryCount === 1 ? 'entry covers' : 'entries cover'} the current ids and would ${entryCount === 1 ? 'fail' : 'all fail'} when rescored`,
    });
  } else notes.push(`The test ids differ (${differences.join('; ')}); there are no entries yet, so nothing breaks.`);
  return { problems, notes };
}
