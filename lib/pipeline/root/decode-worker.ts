/**
 * Entry point of a decoding worker thread (started by decode-pool.ts): runs each {@link DecodeJob} it is sent (TTree
 * baskets or an RNTuple cluster) and posts back the decoded buffers (transferred, not copied) or the error.
 */
import { parentPort } from 'node:worker_threads';
import { type DecodeJob, runDecodeJob, serializeError, transferListOf } from './decode-task';

const port = parentPort;
if (port) {
  port.on('message', (message: { id: number; job: DecodeJob }) => {
    runDecodeJob(message.job).then(
      (data) => port.postMessage({ id: message.id, data }, transferListOf(data)),
      (error: unknown) => port.postMessage({ id: message.id, error: serializeError(error) }),
    );
  });
}
