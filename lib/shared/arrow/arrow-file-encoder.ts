import { type RecordBatch, RecordBatchFileWriter, type Schema, util } from 'apache-arrow';
import { AppError } from '../app-error';

/** Bytes to append to the file, in order. They may be views of the batch's columns: write them before reusing those. */
export type ArrowFileChunks = Uint8Array[];

/** Encodes an Arrow IPC file one record batch at a time; each call returns the bytes to append. */
export type ArrowFileEncoder = {
  /** Encodes one record batch (the magic and schema come before the first). */
  write(batch: RecordBatch): ArrowFileChunks;
  /** The footer and closing magic; the file is complete after it. */
  finish(): ArrowFileChunks;
};

/** Collects what apache-arrow's file writer emits instead of queueing it, so that each batch can go to disk at once. */
class ChunkCollectingFileWriter extends RecordBatchFileWriter {
  chunks: Uint8Array[] = [];

  protected override _write(chunk: unknown): this {
    if (this._started && chunk) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : ArrayBuffer.isView(chunk) ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : null;
      if (bytes === null) throw new Error('unexpected chunk type from the Arrow writer');
      if (bytes.byteLength > 0) {
        this.chunks.push(bytes);
        this._position += bytes.byteLength;
      }
    }
    return this;
  }

  take(): Uint8Array[] {
    const taken = this.chunks;
    this.chunks = [];
    return taken;
  }
}

function describeFields(schema: Schema): string {
  return schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
}

/**
 * The Arrow IPC *file* encoder (`ARROW1` magic, schema, record batches, footer) that every batch-by-batch writer of
 * Arrow files uses — the dataset tables' {@link createArrowFileBatchWriter} and the pipeline's `writeArrowIpcFile`
 * (ROOT conversion) — so that memory holds one batch, however long the table. The file's schema (and its metadata)
 * is `schema`; a batch whose fields differ from it is refused (apache-arrow would otherwise start a new file
 * silently in the middle of this one).
 */
export function createArrowFileEncoder(schema: Schema): ArrowFileEncoder {
  const writer = new ChunkCollectingFileWriter();
  writer.reset(undefined, schema);
  return {
    write(batch) {
      if (!util.compareSchemas(batch.schema, schema)) {
        const found = describeFields(batch.schema);
        const expected = describeFields(schema);
        throw new AppError('INTERNAL', `A record batch's columns (${found}) differ from the file's schema (${expected}).`, { expected, found });
      }
      writer.write(batch);
      return writer.take();
    },
    finish() {
      writer.finish();
      return writer.take();
    },
  };
}
