/**
 * Entry point of a dataset writer thread (started by table-files-thread.ts): holds the files it was given of each
 * table, appends the batches it is sent in the order they come, finishes or closes them, and posts every answer (or
 * the error, serialised) with the request's id.
 */
import { parentPort } from 'node:worker_threads';
import type { ArrowColumn } from '@/lib/shared/arrow';
import { serializeError } from '../root/decode-task';
import { TableFiles, type TableFilesOptions } from './table-files';
import type { TableFilesRequest } from './table-files-thread';

const port = parentPort;
const tables = new Map<string, TableFiles>();
let queue: Promise<void> = Promise.resolve();

function table(name: string): TableFiles {
  const found = tables.get(name);
  if (!found) throw new Error(`the writer thread holds no table "${name}"`);
  return found;
}

async function handle(request: TableFilesRequest): Promise<unknown> {
  switch (request.kind) {
    case 'open': {
      const { rootDate, ...rest } = request.table;
      const options: TableFilesOptions = { ...rest, rootDate: rootDate === null ? undefined : new Date(rootDate), progress: (message) => port?.postMessage({ kind: 'progress', message }) };
      tables.set(options.name, await TableFiles.open(options));
      return null;
    }
    case 'append':
      await table(request.table).append(request.columns as Record<string, ArrowColumn>, request.rows);
      return null;
    case 'finish':
      return table(request.table).finish();
    case 'close':
      await Promise.all([...tables.values()].map((t) => t.close()));
      return null;
  }
}

if (port) {
  port.on('message', (request: TableFilesRequest) => {
    // One request at a time, in the order sent: a table's batches must reach its files in order.
    queue = queue.then(() =>
      handle(request).then(
        (result) => port.postMessage({ kind: 'answer', id: request.id, ok: true, result }),
        (error: unknown) => port.postMessage({ kind: 'answer', id: request.id, ok: false, error: serializeError(error) }),
      ),
    );
  });
}
