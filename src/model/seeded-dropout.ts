import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../shared/rng.js';

/**
 * Inverted dropout whose mask comes from nnlab's own advancing stream. tfjs' dropout layer, given a
 * seed, draws the same mask at every step, and unseeded it uses Math.random.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'NnlabSeededDropout';

  constructor(
    private readonly rate: number,
    private readonly rng: Rng,
    name: string,
  ) {
    super({ name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    const seed = this.rng.seed32();
    return tf.tidy(() => {
      const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.rate);
      return tf.mul(x, tf.mul(tf.cast(keep, 'float32'), 1 / (1 - this.rate)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
