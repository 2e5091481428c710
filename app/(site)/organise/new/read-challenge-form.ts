import type { ChallengeFormInput } from '@/lib/shared/dto/challenge-form-dto';

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** The "new challenge" form's fields as the service takes them; phases arrive as `phases.<i>.<field>`. */
export function readChallengeForm(form: FormData): ChallengeFormInput {
  const indices = new Set<number>();
  for (const key of form.keys()) {
    const match = /^phases\.(\d+)\./.exec(key);
    if (match) indices.add(Number(match[1]));
  }
  return {
    title: text(form, 'title'),
    slug: text(form, 'slug'),
    summary: text(form, 'summary'),
    task: text(form, 'task'),
    datasetVersion: text(form, 'datasetVersion'),
    metrics: form.getAll('metrics').filter((m): m is string => typeof m === 'string'),
    primaryMetric: text(form, 'primaryMetric'),
    publicFraction: text(form, 'publicFraction'),
    seed: text(form, 'seed'),
    phases: [...indices]
      .sort((a, b) => a - b)
      .map((i) => ({
        key: text(form, `phases.${i}.key`),
        title: text(form, `phases.${i}.title`),
        opensAt: text(form, `phases.${i}.opensAt`),
        closesAt: text(form, `phases.${i}.closesAt`),
        maxPerDay: text(form, `phases.${i}.maxPerDay`),
        maxTotal: text(form, `phases.${i}.maxTotal`),
      })),
    pages: {
      overview: text(form, 'pages.overview'),
      evaluation: text(form, 'pages.evaluation'),
      data: text(form, 'pages.data'),
      terms: text(form, 'pages.terms'),
    },
  };
}
