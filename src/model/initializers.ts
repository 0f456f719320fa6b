import * as tf from '@tensorflow/tfjs';
import type { Initializer } from '../spec/schema.js';

type TfInitializer = ReturnType<typeof tf.initializers.zeros>;

/** A tfjs initializer; random ones always get a seed (unseeded tfjs initializers use Math.random). */
export function makeInitializer(spec: Initializer, seed: number): TfInitializer {
  if (typeof spec === 'object') return tf.initializers.constant({ value: spec.constant });
  switch (spec) {
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    case 'glorot_uniform':
      return tf.initializers.glorotUniform({ seed });
    case 'glorot_normal':
      return tf.initializers.glorotNormal({ seed });
    case 'he_uniform':
      return tf.initializers.heUniform({ seed });
    case 'he_normal':
      return tf.initializers.heNormal({ seed });
    case 'lecun_uniform':
      return tf.initializers.leCunUniform({ seed });
    case 'lecun_normal':
      return tf.initializers.leCunNormal({ seed });
    // Keras' defaults for the plain random initializers.
    case 'random_uniform':
      return tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed });
    case 'random_normal':
      return tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed });
    case 'truncated_normal':
      return tf.initializers.truncatedNormal({ mean: 0, stddev: 0.05, seed });
  }
}
