import type { Param } from './dense-optimizer.js';

/** One op of the network: its weights (in tfjs' order), and forward and backward passes on rows. */
export interface Layer {
  weights: Float32Array[];
  params: Param[];
  /** The last forward pass's input and, for layers with an activation function, its argument. */
  lastInput(): Float32Array;
  lastPreActivation?(): Float32Array;
  forward(h: Float32Array, rows: number, training: boolean): Float32Array;
  /** Writes the gradients of its parameters; returns the gradient of its input when `needInput`. */
  backward(d: Float32Array, rows: number, needInput: boolean): Float32Array;
}
