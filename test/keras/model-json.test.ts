import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelJsonToSpec } from '../../src/keras/model-json.js';

const cnn = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'keras', 'cnn-model.json'), 'utf8'));

describe('nnlab import model.json: Keras model.to_json() as a spec', () => {
  it('maps the layers and marks the training settings it had to assume', () => {
    const imported = modelJsonToSpec(cnn, { name: 'cnn', data: { dataset: 'mnist' } });
    expect(imported.spec).toMatchObject({
      model: {
        input_shape: [28, 28, 1],
        layers: expect.arrayContaining([
          { conv2d: expect.objectContaining({ filters: 8, kernel_size: 3, padding: 'same', activation: 'relu', kernel_regularizer: { l2: 0.0001 } }) },
        ]),
      },
      train: { optimizer: { adam: { learning_rate: 0.001 } }, loss: 'categorical_crossentropy', epochs: 10, batch_size: 32 },
    });
    expect(imported.unmapped).toEqual([]);
    for (const path of ['train.optimizer', 'train.loss', 'train.epochs']) expect(imported.sources.get(path)?.note).toMatch(/holds no training settings/);
  });

  it('reads the same model inside a TensorFlow.js model.json and a Keras h5 model_config', () => {
    const plain = modelJsonToSpec(cnn, { name: 'cnn' }).spec;
    expect(modelJsonToSpec({ format: 'layers-model', modelTopology: cnn }, { name: 'cnn' }).spec).toEqual(plain);
    expect(modelJsonToSpec({ modelTopology: { model_config: cnn } }, { name: 'cnn' }).spec).toEqual(plain);
  });

  it('lists a layer nnlab has not and JSON that is no model, never throwing', () => {
    const lstm = {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'LSTM', config: { units: 4, batch_input_shape: [null, 10, 3] } },
          { class_name: 'Dense', config: { units: 1 } },
        ],
      },
    };
    expect(modelJsonToSpec(lstm, { name: 'm' }).unmapped.map((u) => u.what)).toEqual(['LSTM(…)']);
    for (const junk of [null, 3, 'text', [], {}, { config: { layers: 'no' } }, { config: { layers: [null, 1, { class_name: 7 }] } }]) {
      const imported = modelJsonToSpec(junk, { name: 'm' });
      expect(imported.unmapped.length, JSON.stringify(junk)).toBeGreaterThan(0);
    }
  });
});
