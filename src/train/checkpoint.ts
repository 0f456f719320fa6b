import * as tf from '@tensorflow/tfjs';
import { SeededDropout } from '../model/seeded-dropout.js';
import { ActivityPenalty } from '../model/activity-penalty.js';
import { CHECKPOINT_WEIGHTS_FILE } from '../shared/checkpoint-files.js';
import type { ModelCheckpoint } from '../run/run-chain.js';

/**
 * Serialize `model` as tf.loadLayersModel reads it. nnlab's seeded dropout is saved as a plain Dropout
 * (they differ only in how training-time masks are drawn), so the files load in any tfjs program.
 */
export async function serializeModel(model: tf.LayersModel, epoch: number): Promise<ModelCheckpoint> {
  let saved: ModelCheckpoint | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: portableTopology(artifacts.modelTopology as SequentialTopology),
        weightsManifest: [{ paths: [CHECKPOINT_WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      saved = { epoch, modelJson: `${JSON.stringify(modelJson, null, 2)}\n`, weights: new Uint8Array(weightData.slice(0)) };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  return saved!;
}

type SequentialTopology = { config: { name?: string; layers: Array<{ class_name: string }> } };

/**
 * The topology with nnlab's own layer classes made loadable anywhere: seeded dropout as a plain
 * Dropout, and activity penalties (training-only, no weights) left out. The model is named as
 * Keras names a first one: tfjs numbers the models a process builds (sequential_1, _2, …), so a run's
 * files would otherwise depend on which worker trained it after how many others.
 */
function portableTopology(topology: SequentialTopology): SequentialTopology {
  const layers = topology.config.layers
    .filter((l) => l.class_name !== ActivityPenalty.className)
    .map((l) => (l.class_name === SeededDropout.className ? { ...l, class_name: 'Dropout' } : l));
  return { ...topology, config: { ...topology.config, name: 'sequential', layers } };
}

/** Load a checkpoint written by serializeModel (from its two files' contents). */
export async function loadCheckpoint(modelJson: string, weights: Uint8Array): Promise<tf.LayersModel> {
  const parsed = JSON.parse(modelJson) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest[0]!.weights, weightData: buffer }));
}
