import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import { DISPLAY_FILE_NAME, type DisplayEventDto, isDisplayObjectKind } from '@/lib/shared/display/display-objects';
import type { ServiceContext } from '../context';
import { getVisibleDatasetVersionOrThrow } from './get-visible-dataset-version-or-throw';
import { loadPublicDatasetTable } from './load-public-dataset-table';

/** What a dataset without an object table is told: the display needs events@display, and how a build writes it. */
export const NO_DISPLAY_TABLE_MESSAGE =
  'The event display needs an events@display table (the selected objects of a sample of training events), and this version has none. ' +
  'Builds that keep objects write it: a PHYSLITE recipe (`npm run pipeline -- build recipe.json`), the top-tagging import and the toy generators. ' +
  'Rebuild the version with the current pipeline, or pass `display` to writeDatasetVersion in your own builder.';

export type DisplayEventsDto = { dataset: string; version: string; isToy: boolean; events: DisplayEventDto[] };

/**
 * Every event of a version's events@display table with its objects (at most a few hundred training events), in file
 * order. A version without the table → NOT_FOUND with {@link NO_DISPLAY_TABLE_MESSAGE}.
 */
export async function getDisplayEvents(ctx: ServiceContext, input: { dataset: string; version: string }): Promise<DisplayEventsDto> {
  const { row, manifest } = await getVisibleDatasetVersionOrThrow(ctx, input.dataset, input.version);
  if (!manifest.files.some((f) => f.name === DISPLAY_FILE_NAME && f.role === 'display')) {
    throw new AppError('NOT_FOUND', `${manifest.dataset} ${manifest.version}: ${NO_DISPLAY_TABLE_MESSAGE}`, { file: DISPLAY_FILE_NAME, reason: 'no-display-table' });
  }
  const table = await loadPublicDatasetTable(ctx.dataDir, row.storageDir, manifest, DISPLAY_FILE_NAME);
  const column = (name: string) => {
    const c = table.columns[name];
    if (!c) throw new AppError('INVALID_DATASET', `${DISPLAY_FILE_NAME} of ${manifest.dataset} ${manifest.version} has no "${name}" column (found ${table.columnNames.join(', ')}).`, { file: DISPLAY_FILE_NAME, column: name });
    return c;
  };
  const ids = column('event_id') as ArrayLike<number>;
  const kinds = column('object');
  if (!Array.isArray(kinds)) throw new AppError('INVALID_DATASET', `${DISPLAY_FILE_NAME}: column "object" must hold text.`, { file: DISPLAY_FILE_NAME, column: 'object' });
  const [pt, eta, phi, m] = ['pt', 'eta', 'phi', 'm'].map((name) => column(name) as ArrayLike<number>) as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  const byId = new Map<number, DisplayEventDto>();
  const events: DisplayEventDto[] = [];
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  for (let row = 0; row < table.numRows; row++) {
    const kind = kinds[row] as string;
    if (!isDisplayObjectKind(kind)) throw new AppError('INVALID_DATASET', `${DISPLAY_FILE_NAME} row ${row}: unknown object kind "${kind}".`, { file: DISPLAY_FILE_NAME, row, column: 'object', found: kind });
    const id = ids[row] as number;
    let event = byId.get(id);
    if (!event) {
      event = { eventId: id, objects: [] };
      byId.set(id, event);
      events.push(event);
    }
    event.objects.push({ kind, pt: round(pt[row] as number), eta: round(eta[row] as number), phi: round(phi[row] as number), m: round(m[row] as number) });
  }
  return { dataset: manifest.dataset, version: manifest.version, isToy: manifest.isToy, events };
}
