import { AppError } from '../app-error';
import { formatDims } from './model-output';

/** A model as the runtime takes it: ONNX bytes, or a TF.js model.json with its weight files. */
export type ModelPackage =
  | { format: 'onnx'; bytes: Uint8Array }
  | { format: 'tfjs'; modelJson: string; weights: Array<{ path: string; data: Uint8Array }> };

export type ModelFormat = ModelPackage['format'];

/** A declared input or output: dims with -1 for a free (symbolic) dimension, [] when undeclared; null: not a tensor. */
export type TensorSpec = { name: string; dims: number[] | null; dtype: string };

/**
 * What the runtime reports about a loaded model. `scoreOutput` is the output the score is read from: the first
 * floating-point tensor output (converters of tree and linear models emit an int64 label before the probabilities).
 */
export type ModelSignature = { runtime: string; inputs: TensorSpec[]; outputs: TensorSpec[]; scoreOutput: string };

/**
 * Checks that a model takes what the challenge gives it: exactly one float32 input of shape [N, F] with F the
 * number of declared feature columns (N free, so any batch size runs), and at least one output (the first is used).
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming the model file, the input, expected and found shape or type.
 */
export function assertModelSignature(signature: ModelSignature, featureCount: number, file: string, inputsFrom = 'this challenge gives'): void {
  const expectedShape = `[N, ${featureCount}]`;
  const refuse = (message: string, expected: string, found: string) => {
    throw new AppError('INVALID_SUBMISSION', `${file}: ${message}`, { file, expected, found, modelCheck: 'signature' });
  };
  if (signature.inputs.length !== 1) {
    refuse(
      `the model has ${signature.inputs.length} inputs (${signature.inputs.map((i) => `"${i.name}"`).join(', ') || 'none'}); it must take one float32 tensor of shape ${expectedShape}, the feature columns in the challenge's order`,
      `one input of shape ${expectedShape}`,
      `${signature.inputs.length} inputs`,
    );
  }
  const input = signature.inputs[0] as TensorSpec;
  if (input.dims === null) refuse(`the input "${input.name}" is not a tensor; expected a float32 tensor of shape ${expectedShape}`, `a tensor ${expectedShape}`, input.dtype);
  if (input.dtype !== 'float32') refuse(`the input "${input.name}" is of type ${input.dtype}; expected float32 of shape ${expectedShape}`, 'float32', input.dtype);
  const dims = input.dims as number[];
  if (dims.length > 0) {
    if (dims.length !== 2) refuse(`the input "${input.name}" has shape ${formatDims(dims)}; expected ${expectedShape}`, expectedShape, formatDims(dims));
    if (dims[1] !== -1 && dims[1] !== featureCount) {
      refuse(`the input "${input.name}" has shape ${formatDims(dims)}, so it takes ${dims[1]} features; ${inputsFrom} ${featureCount} (${expectedShape})`, expectedShape, formatDims(dims));
    }
    if (dims[0] !== -1) {
      refuse(
        `the input "${input.name}" has a fixed batch size of ${dims[0]} (${formatDims(dims)}); export it with a free batch dimension (e.g. dynamic_axes={"input": {0: "N"}} in torch.onnx.export)`,
        expectedShape,
        formatDims(dims),
      );
    }
  }
  if (signature.outputs.length === 0) refuse('the model has no output', 'one output', 'none');
}
