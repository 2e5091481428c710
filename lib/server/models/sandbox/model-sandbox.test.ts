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
