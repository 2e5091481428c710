import type { NumberArray, NumberElement } from './value-type';

/** Element types of ROOT numbers and bools (the writer's vocabulary; bool is stored as one byte). */
export type RootElementType = NumberElement | 'bool';

/** A typed array of one of those elements (bool as Uint8Array). */
export type RootNumericArray = NumberArray;
