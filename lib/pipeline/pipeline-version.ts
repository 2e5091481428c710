/**
 * Version of the data pipeline, written into every manifest and Arrow schema. Bump it whenever a change alters
 * the bytes a build produces (features, generator physics, file layout), so two versions of a dataset built by
 * different code can be told apart.
 */
export const PIPELINE_VERSION = '0.1.0';
