import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasNetworkIsolation, openModelSandbox } from './model-sandbox';

const model = { format: 'onnx' as const, bytes: new Uint8Array(fs.readFileSync(path.resolve('tests/fixtures/models/onnx-logistic.onnx'))) };
const limits = { timeLimitMs: 30_000, memoryLimitMb: 512, maxOutputBytes: 1024 * 1024 };

describe.runIf(process.platform === 'linux')('the model sandbox process', () => {
  it('gets no environment, an empty working folder, no file writes and capped address space, and leaves nothing behind', async () => {
    const sandbox = await openModelSandbox(model, limits);
    const pid = sandbox.processId as number;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((entry) => entry.split('=')[0]);
      expect(environ.sort()).toEqual(['NODE_ENV', 'OMP_NUM_THREADS', 'PATH']);
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      expect(fs.readdirSync(cwd)).toEqual([]);
      const limitsText = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
      expect(limitsText).toMatch(/Max file size\s+0\s+0\s+bytes/);
      expect(limitsText).toMatch(/Max address space\s+\d+\s+\d+\s+bytes/);
      expect(limitsText).toMatch(/Max core file size\s+0\s+0\s+bytes/);
      if (hasNetworkIsolation()) expect(fs.readlinkSync(`/proc/${pid}/ns/net`)).not.toBe(fs.readlinkSync('/proc/self/ns/net'));
      const out = await sandbox.run(new Float32Array(4 * 19), 4, 19);
      expect(out.dims).toEqual([4, 1]);
      await sandbox.close();
      expect(fs.existsSync(cwd)).toBe(false);
      expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('reports the runtime and the declared input and output of a model', async () => {
    const sandbox = await openModelSandbox(model, limits);
    try {
      expect(sandbox.signature).toEqual({
        runtime: expect.stringMatching(/^onnxruntime-node \d/),
        inputs: [{ name: 'x', dims: [-1, 19], dtype: 'float32' }],
        outputs: [{ name: 'y', dims: [-1, 1], dtype: 'float32' }],
        scoreOutput: 'y',
      });
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});

/** A TF.js graph model (GraphDef JSON, as tensorflowjs_converter writes it) of sigmoid(x·w + b), written node by node. */
function graphModel(w: number[], b: number): { format: 'tfjs'; modelJson: string; weights: Array<{ path: string; data: Uint8Array }> } {
  const float = { type: 'DT_FLOAT' };
  const dims = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const node = (name: string, op: string, input: string[], attr: Record<string, unknown>) => ({ name, op, input, attr });
  const topology = {
    node: [
      node('x', 'Placeholder', [], { dtype: float, shape: { shape: dims(-1, w.length) } }),
      node('w', 'Const', [], { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(w.length, 1) } } }),
      node('b', 'Const', [], { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(1) } } }),
      node('logit', 'MatMul', ['x', 'w'], { T: float, transpose_a: { b: false }, transpose_b: { b: false } }),
      node('shifted', 'AddV2', ['logit', 'b'], { T: float }),
      node('y', 'Sigmoid', ['shifted'], { T: float }),
    ],
    library: {},
    versions: { producer: 1 },
  };
  const modelJson = JSON.stringify({
    format: 'graph-model',
    generatedBy: 'hand',
    convertedBy: 'hep-arena test',
    modelTopology: topology,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [w.length, 1], dtype: 'float32' }, { name: 'b', shape: [1], dtype: 'float32' }] }],
  });
  return { format: 'tfjs', modelJson, weights: [{ path: 'group1-shard1of1.bin', data: new Uint8Array(new Float32Array([...w, b]).buffer) }] };
}

describe.runIf(process.platform === 'linux')('TF.js models in the sandbox', () => {
  it('runs a graph model (not only layers models) and computes what its graph says', async () => {
    const w = [0.5, -1.25, 2];
    const bias = 0.1;
    const sandbox = await openModelSandbox(graphModel(w, bias), limits);
    try {
      expect(sandbox.signature.runtime).toMatch(/^tfjs /);
      expect(sandbox.signature.inputs).toEqual([{ name: 'x', dims: [-1, 3], dtype: 'float32' }]);
      expect(sandbox.signature.scoreOutput).toBe('y');
      const rows = [
        [0, 0, 0],
        [1, 2, 3],
        [-4, 0.5, 1e-3],
      ];
      const out = await sandbox.run(new Float32Array(rows.flat()), rows.length, 3);
      expect(out.dims).toEqual([3, 1]);
      rows.forEach((row, k) => {
        const logit = row.reduce((sum, v, j) => sum + v * (w[j] as number), bias);
        expect(out.data[k]).toBeCloseTo(1 / (1 + Math.exp(-logit)), 6);
      });
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});
