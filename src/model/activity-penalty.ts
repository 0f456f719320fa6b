import * as tf from '@tensorflow/tfjs';

/**
 * An identity layer that computes an activity regularizer's penalty on the previous layer's output
 * (tfjs-layers throws on activityRegularizer). The training loop adds `penalty` to the loss inside
 * the same gradient tape. Divided by the batch size, as Keras does, so the penalty does not grow
 * with the batch.
 */
export class ActivityPenalty extends tf.layers.Layer {
  static readonly className = 'NnlabActivityPenalty';
  /** The penalty of the latest call (kept until the next call or dispose). */
  penalty: tf.Scalar | undefined;

  constructor(
    private readonly regularizer: { apply(x: tf.Tensor): tf.Scalar },
    name: string,
  ) {
    super({ name, trainable: false });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // Layers run inside tfjs-layers' own tidy: keep the penalty (the gradient tape still sees how it
    // was computed) and release the previous one.
    tf.dispose(this.penalty);
    this.penalty = tf.keep(tf.div(this.regularizer.apply(x), x.shape[0] ?? 1) as tf.Scalar);
    return x;
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    tf.dispose(this.penalty);
    this.penalty = undefined;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}

/** The activity penalties of the model's latest forward pass, summed onto `loss`. */
export function addActivityPenalties(model: tf.LayersModel, loss: tf.Scalar): tf.Scalar {
  return model.layers.reduce<tf.Scalar>((acc, layer) => (layer instanceof ActivityPenalty && layer.penalty ? tf.add(acc, layer.penalty) : acc), loss);
}
