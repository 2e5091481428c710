import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { auditEvents, challenges } from '@/db/schema';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import type { SessionUser } from '@/lib/server/context';
import { diffDatasetVersions } from '@/lib/server/datasets/diff-dataset-versions';
import { grantDataset } from '@/lib/server/datasets/grant-dataset';
import { getCatalogueDownload } from '@/lib/server/datasets/get-catalogue-download';
import { getDatasetVersionPage } from '@/lib/server/datasets/get-dataset-version-page';
import { getDisplayEvents } from '@/lib/server/datasets/get-display-events';
import { getFeatureHistogram } from '@/lib/server/datasets/get-feature-histogram';
import { histogramCachePath } from '@/lib/server/datasets/get-histogram-cache';
import { listDatasets } from '@/lib/server/datasets/list-datasets';
import { publishBuiltinDatasetVersion } from '@/lib/server/datasets/publish-builtin-dataset-version';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { setDatasetVersionVisibility } from '@/lib/server/datasets/set-dataset-version-visibility';
import { AppError } from '@/lib/shared/app-error';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { createTopTaggingToyChallenge } from '../support/challenge-factories';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let owner: SessionUser;
let participant: SessionUser;
let admin: SessionUser;
const ctxOf = (user: SessionUser | null) => makeContext(handle, dataDir, user, makeRecordingQueue());

/** The AppError a promise rejects with; fails when it resolves or rejects with something else. */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, the call succeeded');
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  owner = await createTestUser(handle, 'organiser', 'Owner');
  participant = await createTestUser(handle, 'participant', 'Student');
  admin = await createTestUser(handle, 'admin', 'Admin');
  // A published challenge on higgs-tautau-toy 1.0.0, the top-tagging toy with variations, and a private version
  // registered by an organiser's rescan.
  await createToyChallenge(handle, dataDir, {}, { trainEvents: 1_200, testEvents: 400 });
  await createTopTaggingToyChallenge(handle, dataDir);
  const relative = path.join('datasets', 'lephad-private', '0.1.0');
  await buildHiggsTautauToyDataset({ outDir: path.join(dataDir, relative), seed: 99, trainEvents: 500, testEvents: 100, version: '0.1.0', createdAt: '2026-02-01T00:00:00.000Z' });
  const manifestFile = path.join(dataDir, relative, 'manifest.json');
  // The same toy under another dataset id: only the manifest's dataset field differs.
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, dataset: 'lephad-private', title: 'Private lep-had' }));
  await registerDatasetVersion(handle.db, dataDir, relative, { ownerId: owner.id });
  const second = path.join('datasets', 'lephad-private', '0.2.0');
  await buildHiggsTautauToyDataset({ outDir: path.join(dataDir, second), seed: 100, trainEvents: 800, testEvents: 100, version: '0.2.0', luminosityFb: 20, createdAt: '2026-03-01T00:00:00.000Z' });
  const m2 = JSON.parse(fs.readFileSync(path.join(dataDir, second, 'manifest.json'), 'utf8'));
  fs.writeFileSync(path.join(dataDir, second, 'manifest.json'), JSON.stringify({ ...m2, dataset: 'lephad-private', title: 'Private lep-had' }));
  await registerDatasetVersion(handle.db, dataDir, second, { ownerId: owner.id });
});
afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('dataset catalogue visibility', () => {
  it('lists versions used by published challenges to visitors, and a new organiser version only to its owner and admins', async () => {
    const visitor = (await listDatasets(ctxOf(null))).map((d) => d.id);
    expect(visitor).toEqual(expect.arrayContaining(['higgs-tautau-toy', 'top-tagging-toy']));
    expect(visitor).not.toContain('lephad-private');
    expect((await listDatasets(ctxOf(participant))).map((d) => d.id)).not.toContain('lephad-private');
    const mine = (await listDatasets(ctxOf(owner))).find((d) => d.id === 'lephad-private');
    expect(mine?.versions.map((v) => v.version)).toEqual(['0.2.0', '0.1.0']);
    expect(mine?.versions[0]?.visibility).toEqual({ isPublic: false, isUsedByPublishedChallenge: false, canManage: true });
    expect((await listDatasets(ctxOf(admin))).map((d) => d.id)).toContain('lephad-private');
  });

  it('answers a hidden version as a missing one, listing only what the viewer may see', async () => {
    const error = await appErrorOf(getDatasetVersionPage(ctxOf(participant), { dataset: 'lephad-private', version: '0.1.0' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('There is no dataset "lephad-private"; available datasets: ');
    expect(error.message).not.toContain('lephad-private;');
    const version = await appErrorOf(getDatasetVersionPage(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '9.9.9' }));
    expect(version.message).toBe('Dataset "higgs-tautau-toy" has no version "9.9.9"; available versions: 1.0.0.');
  });

  it('lets only the owner or an admin publish a version, audit-logged, after which visitors see it', async () => {
    expect((await appErrorOf(setDatasetVersionVisibility(ctxOf(participant), { dataset: 'lephad-private', version: '0.1.0', isPublic: true }))).code).toBe('NOT_FOUND');
    const other = await createTestUser(handle, 'organiser', 'Other organiser');
    expect((await appErrorOf(setDatasetVersionVisibility(ctxOf(other), { dataset: 'lephad-private', version: '0.1.0', isPublic: true }))).code).toBe('NOT_FOUND');
    const done = await setDatasetVersionVisibility(ctxOf(owner), { dataset: 'lephad-private', version: '0.1.0', isPublic: true });
    expect(done).toMatchObject({ isPublic: true, changed: true });
    const [event] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'dataset.publish-version'), eq(auditEvents.target, 'dataset:lephad-private@0.1.0')));
    expect(event?.actorId).toBe(owner.id);
    const visible = (await listDatasets(ctxOf(null))).find((d) => d.id === 'lephad-private');
    expect(visible?.versions.map((v) => v.version)).toEqual(['0.1.0']);
    // Once public, a stranger is refused as such.
    expect((await appErrorOf(setDatasetVersionVisibility(ctxOf(other), { dataset: 'lephad-private', version: '0.1.0', isPublic: false }))).code).toBe('FORBIDDEN');
    // The owner's choice stands against the start-up default for built-ins.
    await setDatasetVersionVisibility(ctxOf(admin), { dataset: 'lephad-private', version: '0.2.0', isPublic: false });
    expect(await publishBuiltinDatasetVersion(handle.db, { id: 'lephad-private', version: '0.2.0' })).toBe(false);
  });
});

describe('dataset version page', () => {
  it('shows citation, sources, per-process yields equal to the training weights, public files only, and published challenges', async () => {
    const page = await getDatasetVersionPage(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '1.0.0' });
    expect(page.citation.bibtex).toMatch(/^@misc\{higgs-tautau-toy_1\.0\.0,/);
    expect(page.citation.text).toContain('HEP Arena higgs-tautau-toy generator');
    expect(page.files.map((f) => f.name)).not.toEqual(expect.arrayContaining([expect.stringMatching(/^truth/)]));
    expect(page.files.map((f) => f.name)).toContain('events@display.arrow');
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dataDir, 'datasets/higgs-tautau-toy/1.0.0/train.arrow'))));
    for (const process of page.training?.processes ?? []) {
      let sum = 0;
      let rows = 0;
      (train.columns.detailed_label as string[]).forEach((p, i) => {
        if (p === process.name) {
          sum += (train.columns.weight as Float64Array)[i] as number;
          rows++;
        }
      });
      expect(process.rows).toBe(rows);
      expect(Math.abs(process.sumOfWeights - sum)).toBeLessThan(1e-9 * sum);
    }
    expect(page.challenges.map((c) => c.slug)).toEqual(['higgs-tautau-toy']);
    // While the challenge is a draft, its organiser (granted the dataset) still sees it listed; visitors neither it nor the version.
    await grantDataset(ctxOf(admin), { dataset: 'higgs-tautau-toy', email: owner.email });
    await handle.db.update(challenges).set({ publishedAt: null, createdBy: owner.id }).where(eq(challenges.slug, 'higgs-tautau-toy'));
    try {
      expect((await getDatasetVersionPage(ctxOf(owner), { dataset: 'higgs-tautau-toy', version: '1.0.0' })).challenges).toEqual([{ slug: 'higgs-tautau-toy', title: expect.any(String), isDraft: true }]);
      expect((await appErrorOf(getDatasetVersionPage(ctxOf(participant), { dataset: 'higgs-tautau-toy', version: '1.0.0' }))).code).toBe('NOT_FOUND');
    } finally {
      await handle.db.update(challenges).set({ publishedAt: new Date() }).where(eq(challenges.slug, 'higgs-tautau-toy'));
    }
  });

  it('counts catalogue downloads per file and never serves a truth file, whatever it is called', async () => {
    const ctx = ctxOf(participant);
    expect((await appErrorOf(getCatalogueDownload(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '1.0.0', fileName: 'train.csv' }))).code).toBe('UNAUTHENTICATED');
    for (const name of ['truth.arrow', '../truth.arrow', 'manifest.json']) {
      const error = await appErrorOf(getCatalogueDownload(ctx, { dataset: 'higgs-tautau-toy', version: '1.0.0', fileName: name }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain('available: train.arrow');
    }
    const download = await getCatalogueDownload(ctx, { dataset: 'higgs-tautau-toy', version: '1.0.0', fileName: 'train.csv' });
    expect(fs.statSync(download.absolutePath).size).toBe(download.sizeBytes);
    await getCatalogueDownload(ctx, { dataset: 'higgs-tautau-toy', version: '1.0.0', fileName: 'train.csv' });
    const page = await getDatasetVersionPage(ctx, { dataset: 'higgs-tautau-toy', version: '1.0.0' });
    expect(page.files.find((f) => f.name === 'train.csv')?.downloads).toBe(2);
    expect(page.files.find((f) => f.name === 'test.csv')?.downloads).toBe(0);
  });

  it('diffs two versions: rows, recipe, processes and other fields', async () => {
    const diff = await diffDatasetVersions(ctxOf(owner), { dataset: 'lephad-private', from: '0.1.0', to: '0.2.0' });
    expect(diff.rows.find((r) => r.table === 'train')).toEqual({ table: 'train', from: 500, to: 800 });
    expect(diff.recipe.map((r) => r.path)).toEqual(expect.arrayContaining(['seed', 'trainEvents', 'luminosityFb']));
    expect(diff.other.find((o) => o.field === 'luminosity (fb⁻¹)')).toEqual({ field: 'luminosity (fb⁻¹)', from: '10', to: '20' });
    expect(diff.processes.length).toBeGreaterThan(0);
    expect(diff.columns).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.sources.changed).toHaveLength(1);
  });
});

describe('feature histograms', () => {
  it('serves the cached default histogram from the training table, with the cache on disk under DATA_DIR', async () => {
    const h = await getFeatureHistogram(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '1.0.0', feature: 'PRI_jet_subleading_pt' });
    expect(h.table).toBe('train');
    expect(h.isDefaultBinning).toBe(true);
    expect(h.processes.map((p) => p.name)).toEqual(['ttbar', 'ztautau', 'htautau']);
    // About a third of the toy events have fewer than two jets: counted apart, not in any bin.
    const missing = h.processes.reduce((n, p) => n + p.missing[1], 0);
    expect(missing).toBeGreaterThan(0);
    expect(h.processes.reduce((n, p) => n + p.total[1], 0)).toBe(1_200);
    const row = await handle.db.query.datasetVersions.findFirst({ where: (t, { eq: e }) => e(t.dataset, 'higgs-tautau-toy') });
    const manifest = datasetManifestSchema.parse(row?.manifest);
    const train = manifest.files.find((f) => f.name === 'train.arrow');
    expect(fs.existsSync(histogramCachePath(dataDir, manifest, train?.sha256 ?? ''))).toBe(true);
  });

  it('rebins on request and keeps every event: bins + flows + missing = the process totals', async () => {
    const base = await getFeatureHistogram(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '1.0.0', feature: 'DER_mass_vis' });
    const h = await getFeatureHistogram(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '1.0.0', feature: 'DER_mass_vis', bins: '7', min: '40', max: '120' });
    expect(h.binning).toEqual({ bins: 7, min: 40, max: 120 });
    expect(h.isDefaultBinning).toBe(false);
    h.processes.forEach((p, i) => {
      expect(p.weights).toHaveLength(7);
      expect(p.total[1]).toBe(base.processes[i]?.total[1]);
      const expected = base.processes[i]?.total[0] ?? 0;
      expect(Math.abs(p.weights.reduce((a, b) => a + b, 0) + p.underflow[0] + p.overflow[0] + p.missing[0] - expected)).toBeLessThan(1e-12 * expected);
    });
  });

  it('answers unknown names with 404 listing the available ones, and bad binnings with 400 saying why', async () => {
    const ctx = ctxOf(null);
    const q = { dataset: 'higgs-tautau-toy', version: '1.0.0', feature: 'DER_mass_vis' };
    const feature = await appErrorOf(getFeatureHistogram(ctx, { ...q, feature: 'DER_mass_viz' }));
    expect(feature.code).toBe('NOT_FOUND');
    expect(feature.message).toContain('feature "DER_mass_viz" is not a feature of higgs-tautau-toy 1.0.0; available features: PRI_lep_pt, PRI_lep_eta');
    expect((await appErrorOf(getFeatureHistogram(ctx, { ...q, feature: 'label' }))).code).toBe('NOT_FOUND');
    expect((await appErrorOf(getFeatureHistogram(ctx, { ...q, feature: 'weight' }))).code).toBe('NOT_FOUND');
    const variation = await appErrorOf(getFeatureHistogram(ctx, { ...q, variation: 'tes_up' }));
    expect(variation.message).toContain('"tes_up" is not a variation of higgs-tautau-toy 1.0.0; available variations: none');
    const dataset = await appErrorOf(getFeatureHistogram(ctx, { ...q, dataset: 'nope' }));
    expect(dataset.message).toMatch(/There is no dataset "nope"; available datasets: .*higgs-tautau-toy/);
    const bins = await appErrorOf(getFeatureHistogram(ctx, { ...q, bins: '1001' }));
    expect(bins.code).toBe('BAD_REQUEST');
    expect(bins.message).toContain('more than 1,000 bins');
    expect((await appErrorOf(getFeatureHistogram(ctx, { ...q, min: '10', max: '10' }))).message).toContain('min (10) must be smaller than max (10)');
    expect((await appErrorOf(getFeatureHistogram(ctx, { ...q, feature2: 'PRI_met', min2: '5', max2: '1' }))).message).toContain('min2 (5) must be smaller than max2 (1)');
  });

  it('compares a variation on the public test tables only: unweighted, unlabelled, same events as the nominal', async () => {
    const h = await getFeatureHistogram(ctxOf(null), { dataset: 'top-tagging-toy', version: '1.0.0', feature: 'fjet_pt', variation: 'ces_up' });
    const variation = h.variation;
    expect(variation?.kind).toBe('parametrised');
    expect(variation?.nominal.total).toEqual([300, 300]);
    expect(variation?.varied.total).toEqual([300, 300]);
    expect(variation?.compared).toContain('unweighted, because test labels and weights are hidden');
    // A 1 % energy-scale shift moves jets up: the varied mean pT is above the nominal one.
    const width = (h.binning.max - h.binning.min) / h.binning.bins;
    const mean = (g: { weights: number[] }) => g.weights.reduce((s, w, i) => s + w * (h.binning.min + (i + 0.5) * width), 0) / g.weights.reduce((a, b) => a + b, 0);
    if (!variation) throw new Error('no variation histogram');
    expect(mean(variation.varied)).toBeGreaterThan(mean(variation.nominal));
    // Without detailed_label the processes are the classes.
    expect(h.processes.map((p) => p.name)).toEqual(['background', 'signal']);
  });

  it('fills a 2D histogram per class of two features', async () => {
    const h = await getFeatureHistogram(ctxOf(null), { dataset: 'higgs-tautau-toy', version: '1.0.0', feature: 'PRI_lep_pt', feature2: 'PRI_had_pt', bins: '20', bins2: '10' });
    expect(h.hist2d?.classes.map((c) => c.name)).toEqual(['background', 'signal']);
    expect(h.hist2d?.classes[0]?.weights).toHaveLength(200);
  });
});

describe('event display', () => {
  it('serves the display sample of training events with their objects', async () => {
    const display = await getDisplayEvents(ctxOf(null), { dataset: 'top-tagging-toy', version: '1.0.0' });
    expect(display.events).toHaveLength(400);
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dataDir, 'datasets/top-tagging-toy/1.0.0/train.arrow'))));
    const trainIds = new Set(train.columns.event_id as Int32Array);
    for (const e of display.events) expect(trainIds.has(e.eventId)).toBe(true);
    expect(display.events[0]?.objects[0]?.kind).toBe('large_r_jet');
  });

  it('tells a dataset without an object table that the display needs one and how a recipe writes it', async () => {
    // An older build without events@display: drop it from a copy of the manifest and register that as a new version.
    const from = path.join(dataDir, 'datasets', 'lephad-private', '0.1.0');
    const relative = path.join('datasets', 'lephad-private', '0.0.9');
    fs.cpSync(from, path.join(dataDir, relative), { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, relative, 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(dataDir, relative, 'manifest.json'), JSON.stringify({ ...manifest, version: '0.0.9', files: manifest.files.filter((f: { role: string }) => f.role !== 'display') }));
    await registerDatasetVersion(handle.db, dataDir, relative, { ownerId: owner.id });
    const error = await appErrorOf(getDisplayEvents(ctxOf(owner), { dataset: 'lephad-private', version: '0.0.9' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('The event display needs an events@display table');
    expect(error.message).toContain('npm run pipeline -- build recipe.json');
  });
});
