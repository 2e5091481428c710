import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { DISPLAY_FILE_NAME, DISPLAY_SAMPLE_LIMIT } from '@/lib/shared/display/display-objects';
import { writeDatasetVersion } from '../datasets/write-dataset-version';
import { buildHiggsTautauToyDataset } from '../toy/higgs-tautau-toy';
import { buildTopTaggingToyDataset } from '../toy/top-tagging-toy';
import { buildLargeRJetDisplayTable } from './large-r-jet-display-table';
import { buildLepHadDisplayTable } from './lep-had-display-table';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'display-tables-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const read = (dir: string, name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, name))));

describe('events@display tables', () => {
  it('the H→ττ toy writes lepton, tau, present jets and MET of its first training events, read from the PRI columns', async () => {
    const dir = path.join(tmp, 'htt');
    const manifest = await buildHiggsTautauToyDataset({ outDir: dir, seed: 5, trainEvents: 700, testEvents: 50, createdAt: '2026-01-01T00:00:00.000Z' });
    const entry = manifest.files.find((f) => f.name === DISPLAY_FILE_NAME);
    expect(entry).toMatchObject({ role: 'display', format: 'arrow', serverOnly: false });
    const display = read(dir, DISPLAY_FILE_NAME);
    const train = read(dir, 'train.arrow');
    expect(display.columnNames).toEqual(['event_id', 'object', 'pt', 'eta', 'phi', 'm']);
    expect(display.columnNames).not.toContain('label');
    expect(display.columnNames).not.toContain('weight');
    const ids = display.columns.event_id as Int32Array;
    const kinds = display.columns.object as string[];
    const events = new Set(ids);
    expect(events.size).toBe(DISPLAY_SAMPLE_LIMIT);
    const trainIds = train.columns.event_id as Int32Array;
    for (const id of events) expect(id).toBeLessThan(700);
    // Row by row: jets exactly where PRI_jet_*_pt is not the sentinel, one MET per event.
    const expectedJets = Array.from(trainIds.subarray(0, DISPLAY_SAMPLE_LIMIT), (_, row) =>
      [(train.columns.PRI_jet_leading_pt as Float32Array)[row], (train.columns.PRI_jet_subleading_pt as Float32Array)[row]].filter((pt) => pt !== -25).length,
    ).reduce((a, b) => a + b, 0);
    expect(kinds.filter((k) => k === 'jet')).toHaveLength(expectedJets);
    expect(kinds.filter((k) => k === 'met')).toHaveLength(DISPLAY_SAMPLE_LIMIT);
    const firstTau = kinds.indexOf('tau');
    expect((display.columns.pt as Float32Array)[firstTau]).toBe((train.columns.PRI_had_pt as Float32Array)[0]);
  });

  it('the top-tagging toy draws the large-R jet and its non-padding clusters in GeV', async () => {
    const dir = path.join(tmp, 'top');
    await buildTopTaggingToyDataset({ outDir: dir, seed: 6, trainJets: 40, testJets: 20, createdAt: '2026-01-01T00:00:00.000Z' });
    const display = read(dir, DISPLAY_FILE_NAME);
    const train = read(dir, 'train.arrow');
    const kinds = display.columns.object as string[];
    expect(kinds.filter((k) => k === 'large_r_jet')).toHaveLength(40);
    let clusters = 0;
    for (let k = 0; k < 20; k++) clusters += Array.from(train.columns[`fjet_clus_pt_${k}`] as Float32Array).filter((pt) => pt > 0).length;
    expect(kinds.filter((k) => k === 'cluster')).toHaveLength(clusters);
    const jetRow = kinds.indexOf('large_r_jet');
    expect((display.columns.pt as Float32Array)[jetRow]).toBeCloseTo(((train.columns.fjet_pt as Float32Array)[0] as number) / 1000, 3);
  });

  it('rejects a display row whose event is not a training event, naming the row', async () => {
    const features = { x: new Float32Array([1, 2]) };
    const display = buildLargeRJetDisplayTable(new Int32Array([0]), { fjet_pt: new Float32Array([400_000]), fjet_eta: new Float32Array([0]), fjet_phi: new Float32Array([0]), fjet_m: new Float32Array([170_000]) }, 0);
    display.eventId[0] = 99;
    await expect(
      writeDatasetVersion({
        outDir: path.join(tmp, 'bad'),
        manifest: {
          dataset: 'bad-display', version: '1', title: 't', isToy: true, createdAt: 'x', pipelineVersion: 'p', description: '', licence: 'CC0-1.0', citation: 'c',
          sources: [], recipe: {}, luminosityFb: null, expectedYields: { signal: 1, background: 1 }, fixedSplitColumn: null, missingValue: -25,
        },
        featureColumns: [{ name: 'x', unit: '', description: '' }],
        train: { eventId: new Int32Array([0, 1]), features, label: new Uint8Array([0, 1]), weight: new Float64Array([1, 1]) },
        test: { id: new Int32Array([2]), features: { x: new Float32Array([3]) } },
        truth: { id: new Int32Array([2]), label: new Uint8Array([1]), weight: new Float64Array([1]) },
        display,
      }),
    ).rejects.toThrow('events@display row 0: event_id 99 is not a training event');
    expect(fs.existsSync(path.join(tmp, 'bad'))).toBe(false);
  });

  it('leaves a missing jet out of the lep-had display', () => {
    const f = (v: number) => new Float32Array([v]);
    const table = buildLepHadDisplayTable(new Int32Array([7]), {
      PRI_lep_pt: f(30), PRI_lep_eta: f(0.1), PRI_lep_phi: f(1), PRI_had_pt: f(40), PRI_had_eta: f(-0.5), PRI_had_phi: f(-2),
      PRI_jet_leading_pt: f(50), PRI_jet_leading_eta: f(2), PRI_jet_leading_phi: f(0.3),
      PRI_jet_subleading_pt: f(-25), PRI_jet_subleading_eta: f(-25), PRI_jet_subleading_phi: f(-25), PRI_met: f(20), PRI_met_phi: f(3),
    }, -25);
    expect(table.object).toEqual(['lepton', 'tau', 'jet', 'met']);
    expect(Array.from(table.eventId)).toEqual([7, 7, 7, 7]);
  });
});
