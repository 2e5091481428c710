import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinDatasetBuilders, builtinDatasetKey } from '@/scripts/ensure-datasets';
import { builtinChallenges } from './index';
import { type ChallengeDefinition, challengeDefinitionSchema } from './schema';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-builtin-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const smokeBuilds = new Map<string, ReturnType<NonNullable<(typeof builtinDatasetBuilders)[string]>>>();

/** The challenge's dataset built at smoke size by its ensure-datasets builder (once per slug). */
function smokeManifest(definition: ChallengeDefinition) {
  const build = builtinDatasetBuilders[builtinDatasetKey(definition.dataset)];
  if (!build) throw new Error(`no builder for ${builtinDatasetKey(definition.dataset)} in scripts/ensure-datasets.ts`);
  const cached = smokeBuilds.get(definition.slug) ?? build(path.join(tmpRoot, definition.slug), 'smoke');
  smokeBuilds.set(definition.slug, cached);
  return cached;
}

describe('built-in challenges', () => {
  it('validate against the challenge schema and have unique slugs', () => {
    for (const definition of builtinChallenges) {
      expect(challengeDefinitionSchema.parse(definition), definition.slug).toEqual(definition);
    }
    const slugs = builtinChallenges.map((d) => d.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toEqual(expect.arrayContaining(['higgs-tautau-toy', 'top-tagging-toy', 'higgs-signal-strength-toy', 'trackml-toy']));
  });

  it.each(builtinChallenges.map((d) => [d.slug, d] as const))('%s names a dataset its builder produces, with every file the task scores', async (slug, definition) => {
    const manifest = await smokeManifest(definition);
    expect({ id: manifest.dataset, version: manifest.version }, slug).toEqual(definition.dataset);
    const roles = new Map(manifest.files.map((f) => [f.name, f]));
    if (definition.task === 'binary-classification') {
      expect(roles.get('test.arrow')?.serverOnly).toBe(false);
      expect(roles.get('truth.arrow')?.serverOnly).toBe(true);
      for (const variation of definition.scoring.variations) {
        // A server-only variation's test features never leave the server (model phases run on them).
        expect(roles.get(`test@${variation.name}.arrow`)?.serverOnly, variation.name).toBe(variation.serverOnly === true);
        expect(roles.get(`truth@${variation.name}.arrow`)?.serverOnly, variation.name).toBe(true);
      }
    } else if (definition.task === 'track-assignment') {
      expect(roles.get('test_hits.arrow')?.serverOnly).toBe(false);
      expect(roles.get('truth_tracks.arrow')?.serverOnly).toBe(true);
      expect(manifest.files.filter((f) => f.role === 'truth').map((f) => f.name)).toEqual(['truth_tracks.arrow']);
    } else {
      expect(manifest.files.find((f) => f.role === 'pseudo_experiments')?.serverOnly).toBe(false);
      expect(manifest.files.find((f) => f.role === 'truth_pe')?.serverOnly).toBe(true);
    }
    expect(manifest.files.find((f) => f.role === 'train')?.serverOnly).toBe(false);
  });

  it.each(builtinChallenges.map((d) => [d.slug, d] as const))('%s data page names the submission header and every file to download', async (slug, definition) => {
    const isModelOnly = definition.phases.every((p) => p.submissions === 'models');
    const header =
      definition.task === 'interval-estimation'
        ? 'pe_id,mu_hat,delta_mu_hat,p16,p84'
        : definition.task === 'track-assignment'
          ? 'event_id,hit_id,track_id'
          : definition.scoring.variations.length > 0
            ? 'variation,id,score'
            : 'id,score';
    // A model-only challenge takes no predictions file: its data page names the model's input columns in order instead.
    if (isModelOnly) {
      const positions = (definition.model?.inputColumns ?? []).map((column) => definition.pages.data.search(new RegExp(`\\b${column}\\b`)));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    } else expect(definition.pages.data).toContain(`\`${header}\``);
    const manifest = await smokeManifest(definition);
    // In a model-only challenge no test features are downloadable, so only the training set must be named.
    const downloads = manifest.files.filter((f) => !f.serverOnly && f.format === 'arrow' && !(isModelOnly && f.name.startsWith('test'))).map((f) => f.name.replace(/\.arrow$/, ''));
    for (const name of downloads) expect(definition.pages.data, `${slug} data page does not mention ${name}`).toContain(`\`${name}`);
    for (const page of ['overview', 'evaluation', 'data', 'terms'] as const) expect(definition.pages[page].trim().length, page).toBeGreaterThan(100);
  });
});
