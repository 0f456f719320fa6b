import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../spec/schema.js';
import {
  emptyStepSums,
  kernelSignals,
  probeIndices,
  sampleStride,
  SATURATION_SLOPE,
  sortSignalRows,
  type LayerKind,
  type LayerSignal,
  type LayerSignalRow,
} from '../shared/layer-signals.js';
import { batchTensors, type HostArrays } from './tensors.js';
import { createStopwatch } from './stopwatch.js';

/** build-model names each layer `<type>_<index in model.layers>`; these kinds have signals. */
const TRACKED = /^(dense|conv2d|batch_norm|activation)_(\d+)$/;

interface Tracked {
  layer: tf.layers.Layer;
  index: number;
  kind: LayerKind;
  spec: LayerSpec;
  /** The kernel (batch norm: gamma) while it is trained. */
  kernel?: tf.LayerVariable;
}

/**
 * The per-layer signals of a model trained through tfjs-layers (conv nets), with the dense engine's
 * definitions: gradient norm, weight norm and update ratio of each kernel on ~10 evenly spaced steps
 * of an epoch, and on the probe batch the outputs' mean and std, dead ReLU units (per unit or
 * channel), saturated sigmoid/tanh outputs (judged from the outputs: the slope under 1 % of its
 * peak) and batch norm's moving-statistics gap. Pre-activations are inside tfjs' fused layers and
 * are not recorded here. It reads the model only; training is the same with and without it.
 */
export function createTfjsLayerRecorder(model: tf.LayersModel, layers: readonly LayerSpec[], stepsPerEpoch: number) {
  const tracked: Tracked[] = model.layers.flatMap((layer) => {
    const match = TRACKED.exec(layer.name);
    if (!match) return [];
    const index = Number(match[2]);
    const spec = layers[index]!;
    const kernel = layer.trainable ? layer.trainableWeights[0] : undefined;
    return [{ layer, index, kind: match[1] as LayerKind, spec, ...(kernel ? { kernel } : {}) }];
  });
  const trained = tracked.filter((t) => t.kernel);
  const stride = sampleStride(stepsPerEpoch);
  const sums = trained.map(emptyStepSums);
  // The probe model maps the input to every tracked layer's output and every batch norm's input (each once).
  const probeOutputs: tf.SymbolicTensor[] = [];
  const slot = (t: tf.SymbolicTensor) => (probeOutputs.includes(t) ? probeOutputs.indexOf(t) : probeOutputs.push(t) - 1);
  const slots = tracked.map((t) => ({
    out: slot(t.layer.output as tf.SymbolicTensor),
    in: t.kind === 'batch_norm' ? slot(t.layer.input as tf.SymbolicTensor) : -1,
  }));
  const probeModel = tf.model({ inputs: model.inputs, outputs: probeOutputs });
  const { timed, spentMs } = createStopwatch();

  return {
    spentMs,
    sampled: (step: number) => trained.length > 0 && step % stride === 0,
    /**
     * One sampled step: the gradients of `loss` (as optimizer.minimize computes them), their norms,
     * the update, and how far it moved each kernel.
     */
    step(optimizer: tf.Optimizer, loss: () => tf.Scalar, variables: tf.Variable[]): void {
      const { value, grads } = optimizer.computeGradients(loss, variables);
      // A copy of its own: clone() shares the kernel's data on wasm.
      const before = timed(() => trained.map((t) => tf.keep(tf.mul(t.kernel!.read(), 1))));
      const gradOf = (t: Tracked) => grads[(t.kernel!.read() as tf.Variable).name];
      const gradNorms = timed(() => tf.tidy(() => tf.stack(trained.map((t) => (gradOf(t) ? tf.norm(gradOf(t)!) : tf.scalar(0))))));
      // In the list's order, as minimize() applies them: tfjs' optimizers keep their slots by position.
      optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      tf.dispose([value, ...Object.values(grads)]);
      timed(() => {
        const moved = tf.tidy(() => tf.stack(trained.flatMap((t, i) => [tf.norm(tf.sub(t.kernel!.read(), before[i]!)), tf.norm(before[i]!)])));
        const [g, m] = [gradNorms.dataSync(), moved.dataSync()];
        trained.forEach((_, i) => {
          sums[i]!.grad += g[i]!;
          sums[i]!.update += m[2 * i + 1]! > 0 ? m[2 * i]! / m[2 * i + 1]! : 0;
          sums[i]!.steps++;
        });
        tf.dispose([gradNorms, moved, ...before]);
      });
    },
    /** The epoch's rows: step statistics since the last call, and activation statistics on a fixed sample of `probe`. */
    endEpoch(epoch: number, probe: HostArrays): LayerSignalRow[] {
      return timed(() => {
        const rows: LayerSignalRow[] = [];
        const push = (t: Tracked, signal: LayerSignal, value: number) =>
          rows.push({ epoch, layer: t.index, kind: t.kind, signal, value: Number.isFinite(value) ? value : null });
        trained.forEach((t, i) => {
          const weightNorm = tf.tidy(() => tf.norm(t.kernel!.read()).dataSync()[0]!);
          for (const [signal, value] of kernelSignals(sums[i]!, weightNorm)) push(t, signal, value);
          sums[i] = emptyStepSums();
        });
        const order = probeIndices(probe.x.length / probe.xWidth);
        if (order.length > 0) {
          const batch = batchTensors(probe, order, 0, order.length);
          const outputs = probeModel.predict(batch.x) as tf.Tensor | tf.Tensor[];
          const list = Array.isArray(outputs) ? outputs : [outputs];
          for (const [k, t] of tracked.entries()) {
            const out = list[slots[k]!.out]!;
            if (t.kind === 'batch_norm') {
              const input = list[slots[k]!.in]!;
              const [, , movingMean, movingVariance] = t.layer.getWeights();
              const epsilon = (t.spec as Extract<LayerSpec, { type: 'batch_norm' }>).epsilon;
              const [gap, ratio] = tf.tidy(() => {
                const axes = input.shape.slice(0, -1).map((_, a) => a);
                const { mean, variance } = tf.moments(input, axes);
                const batchStd = tf.sqrt(tf.add(variance, epsilon));
                return [
                  tf.mean(tf.div(tf.abs(tf.sub(mean, movingMean!)), batchStd)).dataSync()[0]!,
                  tf.mean(tf.div(tf.sqrt(tf.add(movingVariance!, epsilon)), batchStd)).dataSync()[0]!,
                ];
              });
              push(t, 'bn_mean_gap', gap);
              push(t, 'bn_std_ratio', ratio);
              continue;
            }
            const activation = 'activation' in t.spec ? t.spec.activation : 'linear';
            const stats = tf.tidy(() => {
              const { mean, variance } = tf.moments(out);
              const values = [mean, tf.sqrt(variance)];
              const units = out.shape[out.shape.length - 1]!;
              if (activation === 'relu' || activation === 'relu6')
                values.push(tf.div(tf.sum(tf.cast(tf.lessEqual(tf.max(tf.reshape(out, [-1, units]), 0), 0), 'float32')), units));
              // The slope from the output: sigmoid' = y(1 − y), at most ¼; tanh' = 1 − y², at most 1.
              if (activation === 'sigmoid') values.push(tf.mean(tf.cast(tf.less(tf.mul(out, tf.sub(1, out)), SATURATION_SLOPE / 4), 'float32')));
              if (activation === 'tanh') values.push(tf.mean(tf.cast(tf.less(tf.sub(1, tf.square(out)), SATURATION_SLOPE), 'float32')));
              return tf.stack(values).dataSync();
            });
            push(t, 'act_mean', stats[0]!);
            push(t, 'act_std', stats[1]!);
            if (activation === 'relu' || activation === 'relu6') push(t, 'dead_share', stats[2]!);
            if (activation === 'sigmoid' || activation === 'tanh') push(t, 'saturated_share', stats[2]!);
          }
          tf.dispose([batch.x, batch.y, ...list]);
        }
        return sortSignalRows(rows);
      });
    },
  };
}
