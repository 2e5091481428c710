import { z } from 'zod';

/** The longest description a submission may carry (a sentence or two, as on Kaggle). */
export const maxSubmissionDescriptionLength = 500;

/**
 * A submission's description as the web form, the API (`?description=` or `X-Description`) and the CLI
 * (`--description`) send it: trimmed, at most {@link maxSubmissionDescriptionLength} characters, one line without
 * control characters; empty means none (null).
 */
export const submissionDescriptionSchema = z
  .string()
  .trim()
  .max(maxSubmissionDescriptionLength, { error: `the description is longer than ${maxSubmissionDescriptionLength} characters` })
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), { error: 'the description must be one line without control characters' })
  .transform((text) => (text === '' ? null : text));
