import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowColumns } from '@/lib/shared/arrow';
import { importTrackmlEvents } from './trackml-events';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'trackml-import-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/**
 * One event written as a Kaggle TrackML download has it: particles with particle_type, particle ids above 2^53 that
 * differ in their last bits, weights as float32 text, noise hits absent from particles.
 */
function writeKaggleLikeEvent(dir: string, eventId: number, options: { gzip?: boolean; corrupt?: (part: string, text: string) => string } = {}) {
  const prefix = path.join(dir, `event${String(eventId).padStart(9, '0')}`);
  const big = 2n ** 60n + BigInt(eventId) * 1000n;
  // Particle A: hits 1, 3, 5, 7 (4 hits); B (A + 1, equal to A as a double): hits 2, 4, 6, 8; noise: 9, 10.
  const ids = [big, big + 1n];
  const hits = ['hit_id,x,y,z,volume_id,layer_id,module_id'];
  const truth = ['hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight'];
  const cells = ['hit_id,ch0,ch1,value'];
  for (let h = 1; h <= 10; h++) {
    const particle = h <= 8 ? ids[(h - 1) % 2] : 0n;
    const layer = 2 * Math.ceil(h / 2);
    const r = 30 + 40 * layer;
    hits.push(`${h},${r}.5,${h % 2 === 0 ? -1 : 1}.25,${10 * h}.125,8,${layer},${h}`);
    truth.push(`${h},${particle},${r}.5,1.25,${10 * h}.125,0.5,0.1,0.2,${particle === 0n ? 0 : 0.125}`);
    cells.push(`${h},${100 + h},${200 + h},0.0125`);
  }
  const particles = ['particle_id,particle_type,vx,vy,vz,px,py,pz,q,nhits', `${ids[0]},211,0,0,1.5,0.9,0.1,0.3,1,4`, `${ids[1]},-211,0,0,1.5,-0.4,0.2,1.3,-1,4`];
  for (const [part, lines] of [['hits', hits], ['truth', truth], ['cells', cells], ['particles', particles]] as const) {
    let text = `${lines.join('\n')}\n`;
    if (options.corrupt) text = options.corrupt(part, text);
    if (options.gzip) fs.writeFileSync(`${prefix}-${part}.csv.gz`, zlib.gzipSync(text));
    else fs.writeFileSync(`${prefix}-${part}.csv`, text);
  }
}

function folderWith(name: string, events: number[], options: Parameters<typeof writeKaggleLikeEvent>[2] = {}): string {
  const dir = path.join(tmpRoot, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const id of events) writeKaggleLikeEvent(dir, id, options);
  fs.writeFileSync(path.join(dir, 'README.txt'), 'not an event file');
  return dir;
}

describe('importTrackmlEvents (the TrackML file layout)', () => {
  it('imports a Kaggle-style download (gzip, particle_type, 64-bit ids) with exact particle ids and ranks', async () => {
    const input = folderWith('kaggle', [21000, 21001, 21002], { gzip: true });
    const outDir = path.join(tmpRoot, 'out-kaggle', '1.0.0');
    const manifest = await importTrackmlEvents({ inputs: [input], outDir, testEvents: 1, createdAt: '2026-01-01T00:00:00Z' });
    expect(manifest.dataset).toBe('trackml');
    expect(manifest.recipe.testEvents).toEqual([21002]);
    expect(manifest.recipe.trainEvents).toEqual([21000, 21001]);
    const truth = decodeArrowColumns(new Uint8Array(fs.readFileSync(path.join(outDir, 'truth_tracks.arrow'))));
    const particleIds = truth.columns.particle_id as BigInt64Array;
    const big = 2n ** 60n + 21002n * 1000n;
    expect(Array.from(particleIds)).toEqual([big, big + 1n, big, big + 1n, big, big + 1n, big, big + 1n, 0n, 0n]);
    expect(Array.from(truth.columns.particle_rank as Int32Array)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 0, 0]);
    expect((truth.columns.particle_pt as Float32Array)[0]).toBeCloseTo(Math.hypot(0.9, 0.1), 6);
    const particles = decodeArrowColumns(new Uint8Array(fs.readFileSync(path.join(outDir, 'train_particles.arrow'))));
    expect(particles.columnNames).toContain('particle_type');
    expect(fs.readFileSync(path.join(outDir, 'train_truth.csv'), 'utf8').split('\n')[1]).toBe(`21000,1,${2n ** 60n + 21000000n},110.5,1.25,10.125,0.5,0.1,0.2,0.125`);
    expect(manifest.files.find((f) => f.name === 'baseline_submission.csv')).toBeUndefined();
  });

  it('imports a Kaggle ZIP download as it is (a folder inside, deflated entries; ZIP64 too) with the same result as the folder', async () => {
    const input = folderWith('zipped', [31000, 31001, 31002]);
    const fromFolder = await importTrackmlEvents({ inputs: [input], outDir: path.join(tmpRoot, 'out-folder'), testEvents: 1, createdAt: '2026-01-01T00:00:00Z' });
    // Python's zipfile writes the archives: an independent writer, with and without ZIP64 records.
    for (const [name, zip64] of [['train_sample.zip', 'False'], ['train_64.zip', 'True']] as const) {
      const archive = path.join(tmpRoot, name);
      const script = `import zipfile, os, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(sys.argv[2])):
        with z.open('train_sample/' + f, 'w', force_zip64=${zip64}) as out:
            out.write(open(os.path.join(sys.argv[2], f), 'rb').read())`;
      const made = spawnSync('/usr/bin/python3', ['-c', script, archive, input], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const fromZip = await importTrackmlEvents({ inputs: [archive], outDir: path.join(tmpRoot, `out-${name}`), testEvents: 1, createdAt: '2026-01-01T00:00:00Z' });
      expect(fromZip.files.map((f) => [f.name, f.sha256])).toEqual(fromFolder.files.map((f) => [f.name, f.sha256]));
    }
    const broken = path.join(tmpRoot, 'broken.zip');
    fs.writeFileSync(broken, fs.readFileSync(path.join(tmpRoot, 'train_sample.zip')).subarray(0, 200));
    await expect(importTrackmlEvents({ inputs: [broken], outDir: path.join(tmpRoot, 'out-broken') })).rejects.toThrow(/broken\.zip cannot be read: it has no end-of-central-directory record \(it is not a ZIP archive, or it is truncated\)/);
  });

  it('names the file, line and column of a bad value, and what disagrees between the files', async () => {
    const cases: Array<[string, (part: string, text: string) => string, RegExp]> = [
      ['bad-value', (part, text) => (part === 'hits' ? text.replace('\n3,', '\n3,nan') : text), /event000000001-hits\.csv line 4, column "x": expected a finite number, found "nan\d/],
      ['unknown-particle', (part, text) => (part === 'truth' ? text.replace(/\n5,\d+,/, '\n5,77,') : text), /event000000001-truth\.csv line 6, column "particle_id": expected a particle of event000000001-particles\.csv, found 77/],
      ['missing-hit', (part, text) => (part === 'truth' ? text.replace(/\n10,[^\n]*/, '') : text), /event000000001-truth\.csv has 9 rows but event000000001-hits\.csv has 10 hits/],
      ['columns', (part, text) => (part === 'hits' ? text.replace('module_id', 'modul_id') : text), /event000000001-hits\.csv line 1: expected the TrackML hits columns .* found no column "module_id"/],
    ];
    for (const [name, corrupt, message] of cases) {
      const input = folderWith(name, [1, 2], { corrupt: (part, text) => corrupt(part, text) });
      await expect(importTrackmlEvents({ inputs: [input], outDir: path.join(tmpRoot, `out-${name}`), testEvents: 1 }), name).rejects.toThrow(message);
      expect(fs.existsSync(path.join(tmpRoot, `out-${name}`)), name).toBe(false);
    }
  });

  it('refuses too few events, a test set that takes every event, and a missing truth file', async () => {
    const one = folderWith('one', [5]);
    await expect(importTrackmlEvents({ inputs: [one], outDir: path.join(tmpRoot, 'out-one') })).rejects.toThrow(/Found 1 TrackML event .* needs at least 2/);
    const two = folderWith('two', [5, 6]);
    await expect(importTrackmlEvents({ inputs: [two], outDir: path.join(tmpRoot, 'out-two'), testEvents: 2 })).rejects.toThrow(/testEvents must be an integer from 1 to 1/);
    fs.rmSync(path.join(two, 'event000000006-truth.csv'));
    await expect(importTrackmlEvents({ inputs: [two], outDir: path.join(tmpRoot, 'out-two'), testEvents: 1 })).rejects.toThrow(/Event 6 has no event000000006-truth\.csv/);
    await expect(importTrackmlEvents({ inputs: [path.join(tmpRoot, 'nowhere')], outDir: path.join(tmpRoot, 'out-x') })).rejects.toThrow(/does not exist/);
  });
});
