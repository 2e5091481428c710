import 'server-only';
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { datasetVersions } from '@/db/schema';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { ChallengeFormInput } from '@/lib/shared/dto/challenge-form-dto';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { describeMetricDirection, getMetric, isMetricId } from '@/scoring/registry';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from './assert-can-create-challenges';
import { createChallengeDraft } from './create-challenge-draft';

const text = z.string().trim().default('');
const numberLike = z.union([z.string(), z.number()]).optional();

// Deliberately loose: the challenge definition schema checks the values, so the form and an uploaded file get the
// same messages under the same paths (`phases.0.closesAt`, `splits.publicFraction`, …).
const formSchema = z.object({
  title: text,
  slug: text,
  summary: text,
  task: text,
  datasetVersion: text,
  metrics: z.array(z.string()).default([]),
  primaryMetric: text,
  publicFraction: numberLike,
  seed: numberLike,
  phases: z
    .array(z.object({ key: text, title: text, opensAt: text, closesAt: text, maxPerDay: numberLike, maxTotal: numberLike }))
    .default([]),
  pages: z.object({ overview: text, evaluation: text, data: text, terms: text }).partial().default({}),
});

/** Empty → undefined (the schema then says the field is required); else a number, or the text when it is not one. */
function toNumber(value: string | number | undefined): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  return Number.isFinite(n) ? n : String(value);
}

/** datetime-local inputs send `YYYY-MM-DDTHH:mm` without a zone; the form says times are UTC. */
function toIsoUtc(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function defaultPages(form: z.infer<typeof formSchema>, manifest: DatasetManifest | null, metricIds: string[], primary: string) {
  const metricLines = metricIds.filter(isMetricId).map((id) => {
    const metric = getMetric(id);
    return `- **${metric.label}** (\`${id}\`)${id === primary ? ', the ranking metric' : ''}: ${metric.description} ${capitalise(describeMetricDirection(metric).text)}.`;
  });
  const fraction = Number(toNumber(form.publicFraction));
  const phaseLines = form.phases.map(
    (p) => `- **${p.title || p.key}**: opens ${toIsoUtc(p.opensAt) || '—'}${p.closesAt ? `, closes ${toIsoUtc(p.closesAt)}` : ', closes when the organisers close it'}; ${p.maxPerDay || '?'} submissions per day${p.maxTotal ? `, ${p.maxTotal} in total` : ''}.`,
  );
  const files = manifest?.files.filter((f) => !f.serverOnly).map((f) => `- \`${f.name}\` (${f.rows.toLocaleString('en')} rows)`) ?? [];
  return {
    overview: `${form.summary}\n\n## Phases\n\n${phaseLines.join('\n')}\n`,
    evaluation: [
      '## Metrics',
      '',
      ...metricLines,
      '',
      Number.isFinite(fraction)
        ? `Every submission is scored on the public split (${Math.round(fraction * 100)} % of the test set, shown live) and on the private split (the rest, revealed when the phase closes). Each value comes with its bootstrap 68 % interval.`
        : 'Every submission is scored on a public split (shown live) and a private split (revealed when the phase closes).',
      '',
    ].join('\n'),
    data: manifest
      ? `## ${manifest.title}\n\n${manifest.description}\n\n${files.join('\n')}\n\nLicence: ${manifest.licence}. Cite: ${manifest.citation}\n`
      : 'Download the training and test files from this page once signed in.\n',
    terms:
      'One account per person. Do not share predictions or private code outside your team while the challenge runs. Failed submissions do not count towards the limits. The organisers may rescore all entries if the scoring changes.\n',
  };
}

/**
 * Creates a draft challenge from the web form: the fields become the same definition an uploaded file gives
 * (revision 1, default scoring settings, a random split seed when none is given, generated pages for the ones left
 * empty) and go through the same checks, so errors name the same paths.
 */
export async function createChallengeFromForm(ctx: ServiceContext, formFields: ChallengeFormInput): Promise<ChallengeChangeDto> {
  const form = formSchema.parse(formFields);
  assertCanCreateChallenges(ctx);
  const [datasetId, version] = form.datasetVersion.includes('@') ? form.datasetVersion.split('@', 2) : [form.datasetVersion, ''];
  const [datasetRow] =
    datasetId && version
      ? await ctx.db
          .select({ manifest: datasetVersions.manifest })
          .from(datasetVersions)
          .where(and(eq(datasetVersions.dataset, datasetId), eq(datasetVersions.version, version)))
          .limit(1)
      : [];
  const manifest = datasetRow ? datasetManifestSchema.parse(datasetRow.manifest) : null;
  const metricIds = [...new Set([...(form.primaryMetric ? [form.primaryMetric] : []), ...form.metrics.filter((m) => m !== '')])];
  const generated = defaultPages(form, manifest, metricIds, form.primaryMetric);
  const definition = {
    slug: form.slug,
    revision: 1,
    title: form.title,
    summary: form.summary,
    task: form.task,
    dataset: { id: datasetId || undefined, version: version || undefined },
    metrics: metricIds.map((id) => ({ id, primary: id === form.primaryMetric, precision: 4 })),
    splits: { publicFraction: toNumber(form.publicFraction), seed: toNumber(form.seed) ?? crypto.randomInt(1, 2 ** 31) },
    phases: form.phases.map((p) => ({
      key: p.key,
      title: p.title || p.key,
      opensAt: p.opensAt ? toIsoUtc(p.opensAt) : undefined,
      closesAt: p.closesAt ? toIsoUtc(p.closesAt) : null,
      maxPerDay: toNumber(p.maxPerDay),
      maxTotal: toNumber(p.maxTotal) ?? null,
    })),
    pages: {
      overview: form.pages.overview || generated.overview,
      evaluation: form.pages.evaluation || generated.evaluation,
      data: form.pages.data || generated.data,
      terms: form.pages.terms || generated.terms,
    },
  };
  return createChallengeDraft(ctx, definition, 'form');
}
