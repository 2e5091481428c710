import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { Recipe } from './define-recipe';
import { parseSampleMetadataCsv, type SampleMetadata } from './sample-metadata';

/** The recipe's DSID table, with the name errors use for it. */
export type DsidTable = { name: string; rows: ReadonlyMap<number, SampleMetadata> };

/** Why a file could not be read, in words (the errno code too). */
function readFailure(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is no such file (ENOENT)';
  if (code === 'EISDIR') return 'it is a folder, not a CSV file (EISDIR)';
  if (code === 'EACCES') return 'permission denied (EACCES)';
  return code ?? String(cause);
}

/** The recipe's table: its inline rows, or its CSV file (relative to the inputs folder). */
export function readDsidTable(recipe: Recipe, dsidTableFile: string | null): DsidTable {
  if (typeof recipe.dsidTable !== 'string') {
    return { name: `the dsidTable of recipe "${recipe.name}"`, rows: new Map(recipe.dsidTable.map((r) => [r.dsid, { ...r }])) };
  }
  const file = dsidTableFile ?? recipe.dsidTable;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('INVALID_DATASET', `Cannot read the DSID table ${file} of recipe "${recipe.name}": ${readFailure(cause)}.`, { file }, { cause });
  }
  return { name: path.basename(file), rows: parseSampleMetadataCsv(text, path.basename(file)) };
}

/** Where the DSID table's CSV file is, for a recipe that names one. */
export function dsidTableFileOf(recipe: Recipe, inputsDir: string): string | null {
  return typeof recipe.dsidTable === 'string' ? path.resolve(inputsDir, recipe.dsidTable) : null;
}
