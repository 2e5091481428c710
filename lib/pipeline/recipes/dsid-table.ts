import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { Recipe } from './define-recipe';
import { parseSampleMetadataCsv, type SampleMetadata } from './sample-metadata';

/** The recipe's DSID table, with the name errors use for it. */
export type DsidTable = { name: string; rows: ReadonlyMap<number, SampleMetadata> };

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
    throw new AppError('INVALID_DATASET', `Cannot read the DSID table ${file} of recipe "${recipe.name}": ${(cause as NodeJS.ErrnoException).code ?? String(cause)}.`, { file }, { cause });
  }
  return { name: path.basename(file), rows: parseSampleMetadataCsv(text, path.basename(file)) };
}

/** Where the DSID table's CSV file is, for a recipe that names one. */
export function dsidTableFileOf(recipe: Recipe, inputsDir: string): string | null {
  return typeof recipe.dsidTable === 'string' ? path.resolve(inputsDir, recipe.dsidTable) : null;
}
