import { zipSync } from 'fflate';

/** What TF.js's `model.save` hands a save handler (the parts a layers model needs). */
export type TfjsModelArtifacts = {
  modelTopology?: unknown;
  weightSpecs?: unknown[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: Record<string, unknown>;
};

export const tfjsWeightsFileName = 'model.weights.bin';

/**
 * The upload format of a TF.js model: a zip of `model.json` (the topology and the weights manifest) and its one
 * weight file, as `model.save('file://…')` or the browser's download would write them. Used by the browser baseline
 * to submit its model and by tests; the server reads it with `readModelBytes`.
 */
export function zipTfjsModel(artifacts: TfjsModelArtifacts): Uint8Array {
  const parts = Array.isArray(artifacts.weightData) ? artifacts.weightData : artifacts.weightData ? [artifacts.weightData] : [];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weights = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    weights.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [tfjsWeightsFileName], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  return zipSync({ 'model.json': new TextEncoder().encode(JSON.stringify(modelJson)), [tfjsWeightsFileName]: weights }, { level: 6 });
}
