import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../shared/rng.js';
import type { Activation, LayerSpec, ModelSpec, RegularizerSpec } from '../spec/schema.js';
import { makeInitializer } from './initializers.js';
import { SeededDropout } from './seeded-dropout.js';
import { ActivityPenalty } from './activity-penalty.js';

type TfActivation = Parameters<typeof tf.layers.activation>[0]['activation'];

const TF_ACTIVATIONS: Record<Activation, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  tanh: 'tanh',
  swish: 'swish',
  gelu: 'gelu',
};
const tfActivation = (a: Activation) => TF_ACTIVATIONS[a] as TfActivation;

/**
 * Build the layer stack of a run. Each layer's random streams are named after its position in the
 * spec's list (disabled layers keep their slot), so the layers two variants share start identical.
 */
export function buildModel(spec: ModelSpec, seed: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: spec.input_shape, name: 'input' }));
  spec.layers.forEach((layer, index) => {
    if (!layer.enabled) return;
    model.add(buildLayer(layer, index, seed));
    if ((layer.type === 'dense' || layer.type === 'conv2d') && layer.activity_regularizer) {
      model.add(new ActivityPenalty(makeRegularizer(layer.activity_regularizer), `${layer.type}_${index}_activity`));
    }
  });
  return model;
}

function buildLayer(layer: LayerSpec, index: number, seed: number): tf.layers.Layer {
  const name = `${layer.type}_${index}`;
  const common = { name };
  const init = createRng(seed, `init/layer-${index}`);
  switch (layer.type) {
    case 'dense':
      return tf.layers.dense({ ...common, units: layer.units, ...weightOptions(layer, init) });
    case 'batch_norm':
      return tf.layers.batchNormalization({ ...common, momentum: layer.momentum, epsilon: layer.epsilon, trainable: layer.trainable });
    case 'dropout':
      return new SeededDropout(layer.rate, createRng(seed, `dropout/layer-${index}`), name);
    case 'activation':
      return tf.layers.activation({ ...common, activation: tfActivation(layer.activation) });
    case 'flatten':
      return tf.layers.flatten(common);
    case 'conv2d':
      return tf.layers.conv2d({
        ...common,
        filters: layer.filters,
        kernelSize: layer.kernel_size,
        strides: layer.strides,
        padding: layer.padding,
        ...weightOptions(layer, init),
      });
    case 'max_pool2d':
      return tf.layers.maxPooling2d({ ...common, poolSize: layer.pool_size, strides: layer.strides, padding: layer.padding });
    case 'average_pool2d':
      return tf.layers.averagePooling2d({ ...common, poolSize: layer.pool_size, strides: layer.strides, padding: layer.padding });
    case 'global_average_pool2d':
      return tf.layers.globalAveragePooling2d(common);
  }
}

/** Activation, bias, trainability, initializers (kernel first, then bias, from the layer's init stream) and regularizers. */
function weightOptions(layer: Extract<LayerSpec, { type: 'dense' | 'conv2d' }>, init: Rng) {
  return {
    activation: tfActivation(layer.activation),
    useBias: layer.use_bias,
    trainable: layer.trainable,
    kernelInitializer: makeInitializer(layer.kernel_initializer, init.seed32()),
    biasInitializer: makeInitializer(layer.bias_initializer, init.seed32()),
    ...(layer.kernel_regularizer ? { kernelRegularizer: makeRegularizer(layer.kernel_regularizer) } : {}),
    ...(layer.bias_regularizer ? { biasRegularizer: makeRegularizer(layer.bias_regularizer) } : {}),
  };
}

function makeRegularizer(spec: RegularizerSpec) {
  if ('l1' in spec) return tf.regularizers.l1({ l1: spec.l1 });
  if ('l2' in spec) return tf.regularizers.l2({ l2: spec.l2 });
  return tf.regularizers.l1l2({ l1: spec.l1_l2.l1, l2: spec.l1_l2.l2 });
}
