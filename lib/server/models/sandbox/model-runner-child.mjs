// @ts-check
/**
 * The sandboxed model runtime: a separate Node process started by model-sandbox.ts under OS limits (address space,
 * CPU time, no file writes, no network namespace where available), with an empty working directory and an empty
 * environment. It knows nothing of files, databases or challenges: it receives the model's bytes and float32
 * batches over the IPC channel and answers with the output tensors. Every check on those outputs is made by the
 * parent, which also enforces wall time and resident memory (and kills this process when one is exceeded).
 *
 * Plain JavaScript on purpose: it must start with `node` alone, from any working directory, without a loader.
 *
 * Frames on file descriptor 3 (a socket pair), each `[u32 header bytes][u32 body bytes][header JSON][body]`, little
 * endian; batches travel as raw float32 bytes (no serialisation), which keeps the process boundary cheap.
 * In:  {type:'load', format:'onnx', threads, maxOutputBytes}                        body: the ONNX bytes
 *      {type:'load', format:'tfjs', modelJson, weights:[{path,bytes}], threads, maxOutputBytes}  body: weight files in order
 *      {type:'run', id, rows, cols}                                                 body: rows × cols float32
 * Out: {type:'loaded', runtime, inputs:[{name,dims,dtype}], outputs:[{name,dims,dtype}], scoreOutput}
 *      {type:'result', id, dims, dtype}                                             body: the output as float32
 *      {type:'error', id?, kind:'RUNTIME_ERROR'|'OUT_OF_MEMORY'|'BAD_OUTPUT', message}
 */
import { Buffer } from 'node:buffer';
import net from 'node:net';
import process from 'node:process';

/** @type {null | ((input: Float32Array, rows: number, cols: number) => Promise<{dims: number[], dtype: string, data: ArrayLike<number>}>)} */
let runBatch = null;
let maxOutputBytes = 64 * 1024 * 1024;

/** @param {unknown} error */
function messageOf(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/** @param {string} message */
function looksLikeOutOfMemory(message) {
  return /bad_alloc|failed to allocate|out of memory|allocation failed|cannot allocate|array buffer allocation|invalid array length|invalid typed array length/i.test(message);
}

const channel = new net.Socket({ fd: 3, readable: true, writable: true });

/** @param {Record<string, unknown>} header @param {Uint8Array} [body] */
function send(header, body) {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(json.length, 0);
  prefix.writeUInt32LE(body ? body.byteLength : 0, 4);
  channel.cork();
  channel.write(prefix);
  channel.write(json);
  if (body && body.byteLength > 0) channel.write(body);
  channel.uncork();
}

/** @param {{buffer: ArrayBufferLike, byteOffset: number, byteLength: number}} view */
function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** @param {Uint8Array} model @param {number} threads */
async function loadOnnx(model, threads) {
  const ort = (await import('onnxruntime-node')).default;
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  /** @param {readonly any[]} list */
  const describe = (list) =>
    list.map((m) => ({ name: m.name, dims: m.isTensor ? m.shape.map((/** @type {number|string} */ d) => (typeof d === 'number' && d >= 0 ? d : -1)) : null, dtype: m.isTensor ? m.type : 'non-tensor' }));
  const inputs = describe(session.inputMetadata);
  const outputs = describe(session.outputMetadata);
  const inputName = session.inputNames[0];
  // Converters of tree and linear models (skl2onnx, onnxmltools) put an int64 label first and the probabilities
  // second: the score is read from the first floating-point tensor output.
  const outputName = (outputs.find((o) => o.dims !== null && (o.dtype === 'float32' || o.dtype === 'float64')) ?? outputs[0])?.name ?? session.outputNames[0];
  runBatch = async (input, rows, cols) => {
    const feeds = { [/** @type {string} */ (inputName)]: new ort.Tensor('float32', input, [rows, cols]) };
    const result = await session.run(feeds, [/** @type {string} */ (outputName)]);
    const tensor = result[/** @type {string} */ (outputName)];
    if (!tensor) throw new Error(`the model produced no output "${outputName}"`);
    return { dims: tensor.dims.slice(), dtype: tensor.type, data: /** @type {ArrayLike<number>} */ (tensor.data) };
  };
  return { runtime: `onnxruntime-node ${ort.env.versions?.common ?? ''}`.trim(), inputs, outputs, scoreOutput: outputName };
}

/** @param {string} modelJson @param {{path: string, data: Uint8Array}[]} weightFiles */
async function loadTfjs(modelJson, weightFiles) {
  const tf = await import('@tensorflow/tfjs');
  // The pure-JS backend: float32 like the browser's WASM backend, and it needs no large address-space reservation.
  await tf.setBackend('cpu');
  await tf.ready();
  /** @type {any} */
  const artifacts = JSON.parse(modelJson);
  /** @type {any[]} */
  const weightSpecs = [];
  const byPath = new Map(weightFiles.map((f) => [f.path, f.data]));
  /** @type {Uint8Array[]} */
  const parts = [];
  for (const group of artifacts.weightsManifest ?? []) {
    weightSpecs.push(...(group.weights ?? []));
    for (const p of group.paths ?? []) {
      const data = byPath.get(p);
      if (!data) throw new Error(`model.json lists the weight file "${p}", which the zip does not contain`);
      parts.push(data);
    }
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.length;
  }
  const handler = tf.io.fromMemory({
    modelTopology: artifacts.modelTopology,
    weightSpecs,
    weightData: weightData.buffer,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    userDefinedMetadata: artifacts.userDefinedMetadata,
  });
  const isGraph = artifacts.format === 'graph-model' || (artifacts.modelTopology && Array.isArray(artifacts.modelTopology.node));
  /** @type {(s: any) => number[]} */
  const dimsOf = (shape) => (Array.isArray(shape) ? shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) : []);
  const model = isGraph ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  /** @type {(x: any) => Promise<any>} */
  const predict = isGraph ? (x) => /** @type {any} */ (model).executeAsync(x) : async (x) => /** @type {any} */ (model).predict(x);
  runBatch = async (input, rows, cols) => {
    const x = tf.tensor2d(input, [rows, cols], 'float32');
    try {
      const y = await predict(x);
      const out = Array.isArray(y) ? y[0] : y;
      const data = await out.data();
      const result = { dims: out.shape.slice(), dtype: out.dtype, data };
      tf.dispose(y);
      return result;
    } finally {
      x.dispose();
    }
  };
  return {
    runtime: `tfjs ${tf.version.tfjs} (cpu)`,
    inputs: model.inputs.map((i) => ({ name: i.name, dims: dimsOf(i.shape), dtype: i.dtype })),
    outputs: model.outputs.map((o) => ({ name: o.name, dims: dimsOf(o.shape), dtype: o.dtype })),
    scoreOutput: model.outputs[0]?.name ?? '',
  };
}

/** @param {any} message @param {Uint8Array} body */
async function handle(message, body) {
  if (message?.type === 'load') {
    maxOutputBytes = Number(message.maxOutputBytes) || maxOutputBytes;
    const threads = Math.max(1, Number(message.threads) || 1);
    try {
      /** @type {{path: string, data: Uint8Array}[]} */
      const weights = [];
      let offset = 0;
      for (const w of message.weights ?? []) {
        weights.push({ path: String(w.path), data: body.subarray(offset, offset + Number(w.bytes)) });
        offset += Number(w.bytes);
      }
      const info = message.format === 'onnx' ? await loadOnnx(body, threads) : await loadTfjs(message.modelJson, weights);
      send({ type: 'loaded', ...info });
    } catch (error) {
      const text = messageOf(error);
      send({ type: 'error', kind: looksLikeOutOfMemory(text) ? 'OUT_OF_MEMORY' : 'RUNTIME_ERROR', message: text });
    }
    return;
  }
  if (message?.type === 'run') {
    const { id, rows, cols } = message;
    try {
      if (!runBatch) throw new Error('no model is loaded');
      if (body.byteLength !== rows * cols * 4) throw new Error(`a batch of ${rows} × ${cols} arrived with ${body.byteLength} bytes`);
      const input = new Float32Array(body.buffer, body.byteOffset, rows * cols);
      const out = await runBatch(input, rows, cols);
      const elements = out.dims.reduce((n, d) => n * d, 1);
      const bytesPerElement = out.dtype === 'float64' || out.dtype === 'int64' ? 8 : out.dtype === 'float16' ? 2 : 4;
      if (elements * bytesPerElement > maxOutputBytes) {
        send({ type: 'error', id, kind: 'BAD_OUTPUT', message: `the output of a batch of ${rows} events has shape [${out.dims.join(', ')}] (${elements * bytesPerElement} bytes), more than the limit of ${maxOutputBytes} bytes` });
        return;
      }
      if (out.dtype !== 'float32' && out.dtype !== 'float64') {
        send({ type: 'result', id, dims: out.dims, dtype: out.dtype });
        return;
      }
      const data = out.data instanceof Float32Array ? out.data : Float32Array.from(out.data);
      send({ type: 'result', id, dims: out.dims, dtype: out.dtype }, bytesOf(data));
    } catch (error) {
      const text = messageOf(error);
      send({ type: 'error', id, kind: looksLikeOutOfMemory(text) ? 'OUT_OF_MEMORY' : 'RUNTIME_ERROR', message: text });
    }
  }
}

// One message at a time, in order: a batch never overtakes the load or another batch.
let queue = Promise.resolve();
/** @type {{ prefix: Buffer, prefixFilled: number, header: any, body: Uint8Array | null, bodyFilled: number, headerBytes: Buffer | null, headerFilled: number }} */
const frame = { prefix: Buffer.alloc(8), prefixFilled: 0, header: null, body: null, bodyFilled: 0, headerBytes: null, headerFilled: 0 };

/** @param {Buffer} chunk */
function onData(chunk) {
  let offset = 0;
  while (offset < chunk.length) {
    if (frame.prefixFilled < 8) {
      const n = Math.min(8 - frame.prefixFilled, chunk.length - offset);
      chunk.copy(frame.prefix, frame.prefixFilled, offset, offset + n);
      frame.prefixFilled += n;
      offset += n;
      if (frame.prefixFilled < 8) return;
      frame.headerBytes = Buffer.alloc(frame.prefix.readUInt32LE(0));
      frame.headerFilled = 0;
      // A fresh buffer per body: the runtime may keep a view of it while later frames arrive.
      frame.body = new Uint8Array(frame.prefix.readUInt32LE(4));
      frame.bodyFilled = 0;
    }
    const headerBytes = /** @type {Buffer} */ (frame.headerBytes);
    if (frame.headerFilled < headerBytes.length) {
      const n = Math.min(headerBytes.length - frame.headerFilled, chunk.length - offset);
      chunk.copy(headerBytes, frame.headerFilled, offset, offset + n);
      frame.headerFilled += n;
      offset += n;
      if (frame.headerFilled < headerBytes.length) return;
    }
    const body = /** @type {Uint8Array} */ (frame.body);
    if (frame.bodyFilled < body.length) {
      const n = Math.min(body.length - frame.bodyFilled, chunk.length - offset);
      body.set(chunk.subarray(offset, offset + n), frame.bodyFilled);
      frame.bodyFilled += n;
      offset += n;
      if (frame.bodyFilled < body.length) return;
    }
    const header = JSON.parse(headerBytes.toString('utf8'));
    frame.prefixFilled = 0;
    queue = queue.then(() => handle(header, body));
  }
}

channel.on('data', onData);
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
