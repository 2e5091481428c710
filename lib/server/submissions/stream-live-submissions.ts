import 'server-only';
import { isTerminalStatus, type LiveSubmissionDto } from '@/lib/shared/dto/submission-status-dto';

export type LiveStreamOptions = {
  /** Reads the current state of the followed submissions (the caller's own, see getLiveSubmissions). */
  load: () => Promise<LiveSubmissionDto[]>;
  /** How often the state is read again; every change is sent at most this late. */
  pollMs: number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** A comment line keeps proxies from closing an idle connection. */
  heartbeatMs?: number;
  /** The stream ends after this long; EventSource reconnects by itself and receives the current state first. */
  maxDurationMs?: number;
};

const encoder = new TextEncoder();
const fingerprint = (s: LiveSubmissionDto) => `${s.status}|${s.error ?? ''}|${s.scoredVersion ?? ''}|${s.finishedAt ?? ''}`;

/**
 * The server-sent event stream of GET /api/v1/me/submissions/status: first one `status` event per followed
 * submission with its current state, then one for every change (`queued → scoring → scored`, or `failed` with its
 * reason, scores included once scored), and `done` when every followed submission has reached a final state, after
 * which the stream ends. Plain text/event-stream, written as it happens (nothing is buffered on the way).
 */
export function streamLiveSubmissions(options: LiveStreamOptions): ReadableStream<Uint8Array> {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxDurationMs = options.maxDurationMs ?? 5 * 60_000;
  const sent = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let isClosed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const startedAt = Date.now();
      let lastWriteAt = startedAt;
      const write = (text: string) => {
        if (isClosed) return;
        controller.enqueue(encoder.encode(text));
        lastWriteAt = Date.now();
      };
      const close = () => {
        if (isClosed) return;
        isClosed = true;
        if (timer) clearTimeout(timer);
        options.signal.removeEventListener('abort', close);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      options.signal.addEventListener('abort', close);
      // Reconnect after 2 s when the connection drops (EventSource's default is 3 s).
      write('retry: 2000\n\n');
      const tick = async () => {
        if (isClosed) return;
        try {
          const current = await options.load();
          for (const submission of current) {
            const print = fingerprint(submission);
            if (sent.get(submission.id) === print) continue;
            sent.set(submission.id, print);
            write(`event: status\ndata: ${JSON.stringify(submission)}\n\n`);
          }
          if (current.length === 0 || current.every((s) => isTerminalStatus(s.status))) {
            write(`event: done\ndata: ${JSON.stringify({ followed: current.length })}\n\n`);
            close();
            return;
          }
        } catch (error) {
          // A passing database hiccup: say so and keep following; the client keeps the last state it had.
          console.error('[live status] reading the submissions failed', error);
          write(`event: problem\ndata: ${JSON.stringify({ message: 'The status could not be read just now; retrying.' })}\n\n`);
        }
        if (Date.now() - startedAt >= maxDurationMs) {
          close();
          return;
        }
        if (Date.now() - lastWriteAt >= heartbeatMs) write(': keep-alive\n\n');
        timer = setTimeout(() => void tick(), options.pollMs);
      };
      void tick();
    },
    cancel() {
      isClosed = true;
      if (timer) clearTimeout(timer);
    },
  });
}
