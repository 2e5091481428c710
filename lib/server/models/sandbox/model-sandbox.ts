import 'server-only';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelRunError, type ModelFailureKind } from '@/lib/shared/models/model-run-error';
import type { ModelPackage, ModelSignature, TensorSpec } from '@/lib/shared/models/model-signature';

export type { ModelPackage, ModelSignature, TensorSpec };

/**
 * The one module that runs a model. The runtime (onnxruntime-node for ONNX, TF.js's CPU backend for TF.js models)
 * lives in a separate Node process (model-runner-child.mjs) started under OS limits; why a native runtime in a child
 * process rather than WASM in a worker thread is argued in docs/security-models.md. This side enforces the limits
 * that need a watcher (wall time, resident memory) and kills the process when one is exceeded; the process never
 * sees a file, a database connection, the environment or (where the kernel allows a network namespace) the network.
 */


export type SandboxLimits = {
  /** Wall time for everything the sandbox does, from start to close. */
  timeLimitMs: number;
  /** Resident memory of the runtime process. */
  memoryLimitMb: number;
  /** Largest output tensor of one batch. */
  maxOutputBytes: number;
  /** Threads of the runtime's operators (default 1: a scoring job takes one core). */
  threads?: number;
};

export type BatchOutput = { dims: number[]; dtype: string; data: Float32Array };

export type ModelSandbox = {
  signature: ModelSignature;
  /** Runs one batch (`rows × cols` float32, row-major). Several may be in flight; they run in order. */
  run(data: Float32Array, rows: number, cols: number): Promise<BatchOutput>;
  /** Highest resident memory of the runtime process seen so far (bytes; 0 where /proc is not available). */
  peakMemoryBytes(): number;
  /** The runtime process's id (for diagnostics and the isolation tests). */
  processId: number | undefined;
  /** Stops the process and removes its working folder; idempotent. */
  close(): Promise<void>;
};

type ChildMessage =
  | { type: 'loaded'; runtime: string; inputs: TensorSpec[]; outputs: TensorSpec[]; scoreOutput: string }
  | { type: 'result'; id: number; dims: number[]; dtype: string }
  | { type: 'error'; id?: number; kind: ModelFailureKind; message: string };

const pollIntervalMs = 20;
const stderrKeptBytes = 8 * 1024;

/**
 * Starts the runtime process, loads the model and reads its signature. Every failure is a `ModelRunError`: the
 * runtime refusing the model (`RUNTIME_ERROR` with its message), a limit (`TIMEOUT`, `OUT_OF_MEMORY`), a crash.
 */
export async function openModelSandbox(model: ModelPackage, limits: SandboxLimits): Promise<ModelSandbox> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hep-arena-model-'));
  const child = spawnRuntime(workDir, limits);
  const state = { failure: null as ModelRunError | null, closed: false, peakRss: 0, stderr: '' };
  const pending = new Map<number, { resolve: (out: BatchOutput) => void; reject: (error: Error) => void }>();
  let loaded: { resolve: (signature: ModelSignature) => void; reject: (error: Error) => void } | null = null;
  let nextId = 1;

  const fail = (error: ModelRunError) => {
    if (state.failure) return;
    state.failure = error;
    loaded?.reject(error);
    loaded = null;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    child.kill('SIGKILL');
  };

  child.stderr?.on('data', (chunk: Buffer) => {
    state.stderr = (state.stderr + chunk.toString('utf8')).slice(-stderrKeptBytes);
  });
  child.stdout?.resume();
  const channel = child.stdio[3] as Duplex;
  channel.on('error', () => {
    // The process ended (it was killed, or crashed): its exit handler says why.
  });
  const write = (header: Record<string, unknown>, body?: Uint8Array) => {
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(json.length, 0);
    prefix.writeUInt32LE(body ? body.byteLength : 0, 4);
    channel.cork();
    channel.write(prefix);
    channel.write(json);
    if (body && body.byteLength > 0) channel.write(body);
    channel.uncork();
  };
  // Frames from the runtime are bounded before anything is allocated for them: even a subverted runtime process
  // cannot make this process allocate more than one output's worth.
  const frameLimits = { headerBytes: 1024 * 1024, bodyBytes: limits.maxOutputBytes + 1024 };
  const onOversizedFrame = (found: string) => fail(new ModelRunError('RUNTIME_ERROR', `the model runtime sent a frame of ${found}, more than any answer needs; it was stopped`));
  readFrames(channel, frameLimits, onOversizedFrame, (message: ChildMessage, body: Uint8Array) => {
    if (message.type === 'loaded') {
      loaded?.resolve({ runtime: message.runtime, inputs: message.inputs, outputs: message.outputs, scoreOutput: message.scoreOutput });
      loaded = null;
      return;
    }
    if (message.type === 'error' && message.id === undefined) {
      fail(new ModelRunError(message.kind, message.kind === 'OUT_OF_MEMORY' ? outOfMemoryMessage(limits, message.message) : message.message));
      return;
    }
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter || message.id === undefined) return;
    pending.delete(message.id);
    if (message.type === 'result') waiter.resolve({ dims: message.dims, dtype: message.dtype, data: new Float32Array(body.buffer, body.byteOffset, body.byteLength / 4) });
    else if (message.type === 'error') {
      const error = new ModelRunError(message.kind, message.kind === 'OUT_OF_MEMORY' ? outOfMemoryMessage(limits, message.message) : message.message);
      waiter.reject(error);
      // A runtime that ran out of memory may be left in any state: it is not given another batch.
      if (message.kind === 'OUT_OF_MEMORY') fail(error);
    }
  });
  child.on('error', (error) => fail(new ModelRunError('RUNTIME_ERROR', `the model runtime could not be started: ${error.message}`, {}, { cause: error })));
  child.on('exit', (code, signal) => {
    if (state.closed) return;
    const tail = lastLines(state.stderr);
    const isMemory = /out of memory|bad_alloc|allocation failed|failed to allocate|heap limit/i.test(state.stderr) || state.peakRss > limits.memoryLimitMb * 1024 * 1024 * 0.9;
    fail(
      isMemory
        ? new ModelRunError('OUT_OF_MEMORY', outOfMemoryMessage(limits, tail))
        : new ModelRunError('RUNTIME_ERROR', `the model runtime stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${tail ? `: ${tail}` : ''}`),
    );
  });

  const deadline = setTimeout(() => {
    fail(new ModelRunError('TIMEOUT', `the model ran longer than the limit of ${formatSeconds(limits.timeLimitMs)}; it was stopped`, { expected: `at most ${formatSeconds(limits.timeLimitMs)}` }));
  }, limits.timeLimitMs);
  const statusFile = `/proc/${child.pid}/status`;
  const canPoll = child.pid !== undefined && existsSync(statusFile);
  const poller = canPoll
    ? setInterval(() => {
        const rss = readRssBytes(statusFile);
        if (rss > state.peakRss) state.peakRss = rss;
        if (rss > limits.memoryLimitMb * 1024 * 1024) {
          fail(new ModelRunError('OUT_OF_MEMORY', outOfMemoryMessage(limits, `resident memory reached ${Math.round(rss / 1024 / 1024)} MiB`)));
        }
      }, pollIntervalMs)
    : null;

  const close = async () => {
    if (state.closed) return;
    state.closed = true;
    clearTimeout(deadline);
    if (poller) clearInterval(poller);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
    await fs.rm(workDir, { recursive: true, force: true });
  };

  try {
    const signature = await new Promise<ModelSignature>((resolve, reject) => {
      loaded = { resolve, reject };
      const base = { type: 'load', threads: limits.threads ?? 1, maxOutputBytes: limits.maxOutputBytes };
      if (model.format === 'onnx') write({ ...base, format: 'onnx' }, model.bytes);
      else write({ ...base, format: 'tfjs', modelJson: model.modelJson, weights: model.weights.map((w) => ({ path: w.path, bytes: w.data.byteLength })) }, concatBytes(model.weights.map((w) => w.data)));
    });
    return {
      signature,
      run(data, rows, cols) {
        if (state.failure) return Promise.reject(state.failure);
        if (state.closed) return Promise.reject(new ModelRunError('RUNTIME_ERROR', 'the model runtime was already closed'));
        const id = nextId++;
        return new Promise<BatchOutput>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          write({ type: 'run', id, rows, cols }, new Uint8Array(data.buffer, data.byteOffset, rows * cols * 4));
        });
      },
      peakMemoryBytes: () => state.peakRss,
      processId: child.pid,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function spawnRuntime(workDir: string, limits: SandboxLimits): ChildProcess {
  const heapMb = Math.max(128, Math.min(limits.memoryLimitMb, 4096));
  const node = [process.execPath, `--max-old-space-size=${heapMb}`, '--disallow-code-generation-from-strings', locateChildScript()];
  // The address-space cap is a backstop above the resident-memory watcher (V8 and the runtime's thread stacks reserve
  // address space they never touch); no core files, no file writes, a bounded number of descriptors, CPU time bounded.
  const addressSpaceBytes = (limits.memoryLimitMb * 2 + 2048) * 1024 * 1024;
  const cpuSeconds = Math.ceil((limits.timeLimitMs / 1000) * Math.max(1, limits.threads ?? 1)) + 30;
  const prlimit = hasCommand('prlimit') ? ['prlimit', `--as=${addressSpaceBytes}`, '--core=0', '--fsize=0', '--nofile=256', `--cpu=${cpuSeconds}`, '--'] : [];
  const command = [...prlimit, ...networkIsolation(), ...node];
  const [file, ...args] = command as [string, ...string[]];
  return spawn(file, args, {
    cwd: workDir,
    // Nothing of the server's environment (database URL, secrets) reaches the runtime.
    env: { PATH: '/usr/bin:/bin', NODE_ENV: 'production', OMP_NUM_THREADS: String(limits.threads ?? 1) },
    // fd 3 is a socket pair carrying the frames; stdout is drained and ignored (a runtime may print banners).
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    detached: false,
  });
}

/**
 * Calls `onFrame` for every `[u32 header bytes][u32 body bytes][header JSON][body]` frame of the stream; each body
 * gets its own buffer (filled with one copy), so a caller may keep it.
 */
function readFrames<T>(
  stream: Duplex,
  frameLimits: { headerBytes: number; bodyBytes: number },
  onOversized: (found: string) => void,
  onFrame: (header: T, body: Uint8Array) => void,
): void {
  let isStopped = false;
  const prefix = Buffer.alloc(8);
  let prefixFilled = 0;
  let header = Buffer.alloc(0);
  let headerFilled = 0;
  let body = new Uint8Array(0);
  let bodyFilled = 0;
  stream.on('data', (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length && !isStopped) {
      if (prefixFilled < 8) {
        const n = Math.min(8 - prefixFilled, chunk.length - offset);
        chunk.copy(prefix, prefixFilled, offset, offset + n);
        prefixFilled += n;
        offset += n;
        if (prefixFilled < 8) return;
        const headerLength = prefix.readUInt32LE(0);
        const bodyLength = prefix.readUInt32LE(4);
        if (headerLength > frameLimits.headerBytes || bodyLength > frameLimits.bodyBytes) {
          isStopped = true;
          onOversized(`${headerLength} + ${bodyLength} bytes`);
          return;
        }
        header = Buffer.alloc(headerLength);
        headerFilled = 0;
        body = new Uint8Array(bodyLength);
        bodyFilled = 0;
      }
      if (headerFilled < header.length) {
        const n = Math.min(header.length - headerFilled, chunk.length - offset);
        chunk.copy(header, headerFilled, offset, offset + n);
        headerFilled += n;
        offset += n;
        if (headerFilled < header.length) return;
      }
      if (bodyFilled < body.length) {
        const n = Math.min(body.length - bodyFilled, chunk.length - offset);
        body.set(chunk.subarray(offset, offset + n), bodyFilled);
        bodyFilled += n;
        offset += n;
        if (bodyFilled < body.length) return;
      }
      prefixFilled = 0;
      onFrame(JSON.parse(header.toString('utf8')) as T, body);
    }
  });
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

let childScript: string | null = null;

/** The child's script: beside this module when it runs from source, else under the project root (the Next bundle). */
function locateChildScript(): string {
  if (childScript) return childScript;
  const name = 'model-runner-child.mjs';
  const candidates: string[] = [];
  try {
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), name));
  } catch {
    // Not a file URL (bundled): only the project-root candidate below applies.
  }
  candidates.push(path.join(process.cwd(), 'lib', 'server', 'models', 'sandbox', name));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new ModelRunError('RUNTIME_ERROR', `the model runtime's script ${name} was not found (looked in ${candidates.join(', ')})`);
  childScript = found;
  return found;
}

const commandCache = new Map<string, boolean>();

function hasCommand(name: string): boolean {
  let known = commandCache.get(name);
  if (known === undefined) {
    known = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].some((dir) => existsSync(path.join(dir, name)));
    commandCache.set(name, known);
  }
  return known;
}

let isolation: string[] | null = null;

/** `unshare` into an empty network namespace when the kernel allows it (probed once), else nothing. */
function networkIsolation(): string[] {
  if (isolation) return isolation;
  isolation = [];
  if (!hasCommand('unshare')) return isolation;
  for (const candidate of [['unshare', '--map-root-user', '--net'], ['unshare', '--net']]) {
    const probe = spawnSync(candidate[0] as string, [...candidate.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status === 0) {
      isolation = candidate;
      break;
    }
  }
  return isolation;
}

/** Whether model runtimes get a network namespace of their own here (for the security notes and tests). */
export function hasNetworkIsolation(): boolean {
  return networkIsolation().length > 0;
}

function readRssBytes(statusFile: string): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(statusFile, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function outOfMemoryMessage(limits: SandboxLimits, detail: string): string {
  return `the model needed more memory than the limit of ${limits.memoryLimitMb} MiB and was stopped${detail ? ` (${detail})` : ''}`;
}

function lastLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' | ')
    .slice(0, 600);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
