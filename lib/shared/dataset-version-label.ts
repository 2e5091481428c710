import { z } from 'zod';

/**
 * A dataset version label, e.g. "1.0.0" or "0.2.600924": letters, digits, ".", "_" and "-", starting with a letter or
 * digit, at most 64 characters. It names a folder (DATA_DIR/datasets/<dataset>/<version>) and appears in URLs, so a
 * label such as "../../etc" is refused wherever a version enters: recipes, `pipeline … --version`, the organiser
 * page, manifests and queries.
 */
export const DATASET_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What a version label may be, in words (for error messages). */
export const DATASET_VERSION_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters';

export const datasetVersionLabel = z.string().regex(DATASET_VERSION_PATTERN, { error: (issue) => `a dataset version is ${DATASET_VERSION_RULE}; found ${JSON.stringify(issue.input)}` });
