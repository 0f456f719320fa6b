import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKerasScript } from '../../src/keras/read-script.js';
import { csvColumnsNamed, scriptToSpec, type DataChoice } from '../../src/keras/script-to-spec.js';

// The seed questions' scripts are examples for users; the other styles are fixtures.
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'keras');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras');

function importScript(file: string, data?: DataChoice) {
  const text = readFileSync(join(existsSync(join(EXAMPLES, file)) ? EXAMPLES : FIXTURES, file), 'utf8');
  return scriptToSpec(readKerasScript(text), { name: file.replace(/\.py$/, ''), ...(data ? { data } : {}) });
}

interface Case {
  file: string;
  data?: DataChoice;
  /** Parts of the spec, as toMatchObject compares them. */
  spec: Record<string, unknown>;
  /** Each thing not mapped, as `line what`; exactly these. */
  unmapped: RegExp[];
  /** The line that loads data nnlab cannot follow, when --data is needed. */
  needsData?: number;
}

const cases: Case[] = [
  {
    file: 'bn-vs-nobn.py',
    spec: {
      data: { dataset: 'mnist', augmentation: { rotation: 10, width_shift: 0.1, zoom: 0.1 } },
      model: {
        input_shape: [28, 28, 1],
        layers: [
          { dense: { units: 1, activation: 'linear', use_bias: false, kernel_initializer: 'ones', trainable: false } },
          { flatten: {} },
          { dense: { units: 1024 } },
          { batch_norm: {} },
          { activation: 'relu' },
          { dense: { units: 10 } },
          { activation: 'softmax' },
        ],
      },
      train: { optimizer: { adam: { learning_rate: 0.001 } }, loss: 'categorical_crossentropy', epochs: 30, batch_size: 64 },
    },
    unmapped: [/^14 Dense\(kernel_initializer=init_2\)/, /^17 Dense\(kernel_initializer=init_2\)/],
  },
  {
    file: 'build-function.py',
    spec: {
      data: { dataset: 'mnist', validation_split: 0.2 },
      model: { layers: [{ flatten: {} }, { dense: { units: 64, activation: 'relu' } }, { dense: { units: 10, activation: 'softmax' } }] },
      train: {
        optimizer: { adam: { learning_rate: 0.0003 } },
        epochs: 20,
        callbacks: {
          early_stopping: { monitor: 'val_loss', patience: 3, restore_best: true },
          reduce_lr_on_plateau: { factor: 0.5, patience: 2, min_lr: 1e-6 },
        },
      },
    },
    unmapped: [/^16 TensorBoard\(…\): nnlab's callbacks are/],
  },
  {
    file: 'constants-and-arithmetic.py',
    spec: {
      data: { validation_split: 0.1 },
      model: {
        input_shape: [28, 28],
        layers: [
          { flatten: {} },
          { dense: { units: 400, activation: 'relu' } },
          { dropout: { rate: 0.2 } },
          { dense: { units: 200, activation: 'tanh' } },
          { dense: { units: 10 } },
        ],
      },
      train: { optimizer: { adam: { learning_rate: 0.001 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], epochs: 10, batch_size: 64 },
    },
    unmapped: [],
  },
  {
    file: 'functional-api.py',
    spec: {
      model: {
        input_shape: [784],
        layers: [
          { dense: { units: 64, activation: 'relu' } },
          { dropout: { rate: 0.2 } },
          { dense: { units: 64 } },
          { dense: { units: 10, activation: 'softmax' } },
        ],
      },
      train: { optimizer: { rmsprop: { learning_rate: 0.001 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], epochs: 2, batch_size: 64 },
    },
    unmapped: [],
  },
  {
    file: 'keras3-style.py',
    spec: {
      // x_train[:5000]: a subset of that size.
      data: { dataset: 'mnist', samples: 5000, validation_split: 0.1 },
      model: {
        input_shape: [28, 28, 1],
        layers: [
          { conv2d: { filters: 32, kernel_size: 3, activation: 'relu' } },
          { max_pool2d: { pool_size: 2 } },
          { flatten: {} },
          { dropout: { rate: 0.5 } },
          { dense: { units: 10 } },
        ],
      },
      train: { epochs: 15, batch_size: 128 },
    },
    unmapped: [],
  },
  {
    file: 'star-import.py',
    spec: {
      data: { dataset: 'mnist', validation_split: 0.2 },
      model: { layers: [{ flatten: {} }, { dense: { units: 32 } }, { dense: { units: 10 } }] },
      // fit(a, b) with nothing else: Keras' defaults.
      train: { optimizer: { rmsprop: { learning_rate: 0.001 } }, epochs: 1, batch_size: 32 },
    },
    unmapped: [],
  },
  {
    file: 'main-guard.py',
    spec: {
      model: { input_shape: [8], layers: [{ dense: { units: 32, activation: 'elu' } }, { dense: { units: 1 } }] },
      train: { optimizer: { rmsprop: { learning_rate: 0.001, rho: 0.9 } }, loss: 'mse', metrics: ['mae'], epochs: 40, batch_size: 16 },
      data: { validation_split: 0.25 },
    },
    unmapped: [],
    needsData: 6,
  },
  {
    file: 'input-layer-list.py',
    spec: {
      model: { input_shape: [10], layers: [{ dense: { units: 16 } }, { dense: { units: 1, activation: 'sigmoid' } }] },
      train: { optimizer: { sgd: { learning_rate: 0.05, momentum: 0.9, nesterov: true } }, loss: 'binary_crossentropy', epochs: 12, batch_size: 8 },
    },
    unmapped: [/^6 SGD\(decay=0\.000001\): nnlab's sgd has no decay$/],
    needsData: 7,
  },
  {
    file: 'iris-sklearn.py',
    // sklearn's load_iris is the built-in iris: no --data needed.
    spec: {
      data: { dataset: 'iris', validation_split: 0.2 },
      model: { input_shape: [4], layers: [{ dense: { units: 8 } }, { dense: { units: 3, activation: 'softmax' } }] },
      train: { epochs: 100, batch_size: 32 },
    },
    unmapped: [/^11 fit\(shuffle=False\): nnlab shuffles every epoch/],
  },
  {
    file: 'initializers-regularizers.py',
    spec: {
      model: {
        layers: [
          { conv2d: { filters: 16, kernel_size: 5, strides: 2, padding: 'valid', use_bias: false, kernel_initializer: 'random_normal' } },
          { batch_norm: { momentum: 0.9, epsilon: 1e-5 } },
          { average_pool2d: { pool_size: 2 } },
          { global_average_pool2d: {} },
          {
            dense: {
              units: 10,
              bias_initializer: { constant: 0.1 },
              kernel_regularizer: { l1_l2: { l1: 1e-5, l2: 1e-4 } },
              activity_regularizer: { l1: 0.01 },
            },
          },
        ],
      },
      train: { optimizer: { sgd: { learning_rate: 0.01 } }, epochs: 3 },
    },
    unmapped: [/^8 RandomNormal\(stddev=0\.01\): nnlab's "random_normal" initializer uses Keras' default parameters$/],
  },
  {
    file: 'unsupported-layers.py',
    spec: {
      model: { layers: [{ dense: { units: 16 } }, { dense: { units: 2 } }] },
      train: { optimizer: { adam: { learning_rate: 0.001 } }, metrics: ['accuracy'] },
    },
    unmapped: [
      /^7 Embedding\(…\): nnlab has no Embedding layer/,
      /^8 LSTM\(…\)/,
      /^10 LeakyReLU\(…\)/,
      /^12 optimizer=Nadam\(…\): nnlab's optimizers are/,
      /^12 CategoricalCrossentropy\(from_logits=True\)/,
      /^12 metrics: 'AUC'/,
      /^13 fit\(class_weight=/,
    ],
    needsData: 13,
  },
  {
    file: 'regression-sigmoid.py',
    spec: {
      model: { input_shape: [4], layers: [{ dense: { units: 100 } }, { dense: { units: 100 } }, { dense: { units: 1, activation: 'sigmoid' } }] },
      train: { optimizer: { sgd: { learning_rate: 1e-8 } }, loss: 'mse', metrics: ['mae'], epochs: 30, batch_size: 1 },
    },
    // Scaling the script does to its data is named: the spec reads the data as it is.
    unmapped: [
      /^5 data\[:, :4\] \/ 100, data\[:, 4\] \/ 100000: the script rescales the data it trains on; nnlab reads the data as it is: scale inputs with data\.scale/,
    ],
    needsData: 4,
  },
  {
    file: 'sentiment-bow.py',
    spec: {
      model: {
        input_shape: [1000],
        layers: [
          { dense: { units: 512, activation: 'relu' } },
          { dropout: { rate: 0.5 } },
          { dense: { units: 256, activation: 'sigmoid' } },
          { dropout: { rate: 0.5 } },
          { dense: { units: 2, activation: 'softmax' } },
        ],
      },
      train: { epochs: 5, batch_size: 32 },
    },
    unmapped: [],
    needsData: 6,
  },
  {
    file: 'first-epoch.py',
    data: { dataset: 'npz', path: 'bottleneck.npz', x: 'x', y: 'y', task: 'classification' },
    spec: {
      data: { dataset: 'npz', path: 'bottleneck.npz', validation_split: 0.2 },
      model: {
        layers: [
          { flatten: {} },
          { dense: { units: 256 } },
          { dropout: { rate: 0.5 } },
          { dense: { units: 256 } },
          { dropout: { rate: 0.5 } },
          { dense: { units: 1, activation: 'sigmoid' } },
        ],
      },
      train: { loss: 'binary_crossentropy', epochs: 50, batch_size: 16 },
    },
    // Flatten(input_shape=train_data.shape[1:]) is known only when the script runs.
    unmapped: [/^6 the input shape of Flatten: computed at run time/],
  },
  {
    file: 'accuracy-drops.py',
    data: { dataset: 'circles' },
    spec: {
      data: { dataset: 'circles', validation_split: 0.2 },
      model: {
        input_shape: [2],
        layers: [
          { flatten: {} },
          { dense: { units: 6 } },
          { dropout: { rate: 0.35 } },
          { dense: { units: 3 } },
          { dropout: { rate: 0.1 } },
          { dense: { units: 1 } },
        ],
      },
      train: { loss: 'binary_crossentropy', metrics: ['accuracy'], epochs: 60, batch_size: 40 },
    },
    unmapped: [/^5 the input shape of Flatten/],
  },
  {
    file: 'overfitting-cnn.py',
    data: { dataset: 'npz', path: 'digits-0-5.npz', x: 'x', y: 'y', task: 'classification' },
    spec: {
      data: { augmentation: { rotation: 10, width_shift: 0.05, height_shift: 0.05, zoom: 0.05, fill: 'nearest' } },
      model: {
        layers: expect.arrayContaining([
          { conv2d: { filters: 8, kernel_size: 3, padding: 'same', kernel_regularizer: { l2: 0.0001 } } },
          { dense: { units: 6 } },
        ]),
      },
      train: {
        optimizer: { sgd: { learning_rate: 0.01 } },
        epochs: 60,
        callbacks: { checkpoint: { monitor: 'val_loss' }, early_stopping: { monitor: 'val_loss', patience: 5 } },
      },
    },
    unmapped: [
      /^9 the input shape of Conv2D/,
      /^31 ImageDataGenerator\(shear_range=0\.05\)/,
      /^31 ImageDataGenerator\(channel_shift_range=51\)/,
      /^34 batch_size=batch_size: computed at run time; the spec uses Keras' default, 32$/,
    ],
  },
];

describe('nnlab import: a Keras script, read and never run, as a spec', () => {
  it.each(cases)('$file', (c) => {
    const imported = importScript(c.file, c.data);
    expect(imported.spec).toMatchObject(c.spec);
    const listed = imported.unmapped.map((u) => `${u.line} ${u.what}: ${u.why}`);
    expect(listed, listed.join('\n')).toHaveLength(c.unmapped.length);
    for (const re of c.unmapped)
      expect(
        listed.some((l) => re.test(l)),
        `${re}\n${listed.join('\n')}`,
      ).toBe(true);
    expect(imported.needsData?.line).toBe(c.needsData);
    // Every layer and training entry names the line it came from.
    const layers = (imported.spec.model as { layers: unknown[] }).layers;
    for (let i = 0; i < layers.length; i++) expect(imported.sources.get(`model.layers.${i}`)?.line, `model.layers.${i}`).toBeGreaterThan(0);
    expect(imported.sources.get('train.epochs')?.line).toBeGreaterThan(0);
  });

  it("keeps Keras' tail validation split where the data is in the script's order, not where a built-in set stands in", () => {
    const split = (file: string, data?: DataChoice) => (importScript(file, data).spec.data as { split?: string }).split;
    // The user's own file: its order is the script's.
    expect(split('accuracy-drops.py', { dataset: 'npz', path: 'sensors.npz', x: 'x', y: 'y', task: 'classification' })).toBe('tail');
    // Keras' mnist comes shuffled, nnlab's is stored class by class: a tail split would be another split.
    expect(split('build-function.py')).toBeUndefined();
    expect(importScript('build-function.py').sources.get('data.validation_split')?.note).toMatch(
      /mnist here is stored in another order, so nnlab holds out a stratified, seeded share instead/,
    );
    expect(split('accuracy-drops.py', { dataset: 'circles' })).toBeUndefined();
  });

  it('starts every spec with the question to write and three seeds', () => {
    const { spec } = importScript('star-import.py');
    expect(spec).toMatchObject({ name: 'star-import', question: expect.stringMatching(/^What do you want to find out/), sweep: { seeds: [1, 2, 3] } });
  });

  it('reads optimizers, losses and metrics in every spelling Keras takes', () => {
    const spec = (source: string) => scriptToSpec(readKerasScript(source), { name: 't', data: { dataset: 'iris' } }).spec.train as Record<string, unknown>;
    const model =
      'from keras.layers import Dense\nfrom keras import optimizers\nfrom keras.optimizers import Adam, SGD\nmodel = keras.Sequential([Dense(3, activation="softmax", input_shape=(4,))])\n';
    expect(spec(model + 'model.compile(optimizer=Adam(lr=0.01), loss="sparse_categorical_crossentropy")')).toMatchObject({
      optimizer: { adam: { learning_rate: 0.01 } },
    });
    expect(spec(model + 'model.compile(Adam(1e-3), "sparse_categorical_crossentropy")')).toMatchObject({ optimizer: { adam: { learning_rate: 0.001 } } });
    expect(spec(model + 'model.compile(optimizer=optimizers.SGD(learning_rate=0.1, momentum=0.5), loss="mse", metrics=["mae"])')).toMatchObject({
      optimizer: { sgd: { learning_rate: 0.1, momentum: 0.5 } },
      loss: 'mse',
      metrics: ['mae'],
    });
    expect(spec(model + 'model.compile(optimizer="adagrad", loss="binary_crossentropy", metrics=["binary_accuracy"])')).toMatchObject({
      optimizer: { adagrad: {} },
      loss: 'binary_crossentropy',
      metrics: ['accuracy'],
    });
    expect(spec(model + 'model.compile(loss=keras.losses.MeanSquaredError(), optimizer="sgd")')).toMatchObject({ loss: 'mse' });
  });

  it("follows constants through arithmetic, and leaves what it cannot compute to Keras' default, listed", () => {
    const source =
      'from keras.layers import Dense\nH = 2 ** 5\nRATE = H / 320\nmodel = Sequential()\nmodel.add(Dense(H + 1, input_dim=4))\nmodel.add(Dense(3, activation="softmax"))\nmodel.compile("adam", "categorical_crossentropy")\nmodel.fit(x, y, epochs=int(RATE * 100), batch_size=len(x) // 10)\n';
    const imported = scriptToSpec(readKerasScript(source), { name: 't', data: { dataset: 'iris' } });
    expect(imported.spec).toMatchObject({ model: { input_shape: [4], layers: [{ dense: { units: 33 } }, { dense: { units: 3 } }] } });
    expect(imported.unmapped.map((u) => `${u.line} ${u.what}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^8 batch_size=/)]));
  });

  it('says which line loads data it cannot follow: keras datasets nnlab does not ship, CSVs, directories', () => {
    const needs = (source: string) => scriptToSpec(readKerasScript(source), { name: 't' }).needsData;
    const model = 'model = Sequential([Dense(10, activation="softmax", input_shape=(784,))])\nmodel.compile("adam", "categorical_crossentropy")\n';
    expect(needs('from keras.datasets import cifar10\n(x, y), _ = cifar10.load_data()\n' + model + 'model.fit(x, y)\n')).toMatchObject({
      line: 2,
      text: expect.stringMatching(/nnlab has no cifar10/),
    });
    expect(needs('import pandas as pd\ndf = pd.read_csv("trips.csv")\n' + model + 'model.fit(df.values, df.y)\n')).toMatchObject({ line: 2 });
    expect(needs(model + 'model.fit(features, labels)\n')).toMatchObject({ line: 3, text: 'features' });
  });

  it("finds a model a build function returns, as in Keras' own examples", () => {
    const source =
      'from tensorflow import keras\nfrom tensorflow.keras import layers\n\ndef build(n):\n    return keras.Sequential([layers.Dense(n, activation="relu", input_shape=(4,)), layers.Dense(3, activation="softmax")])\n\nmodel = build(16)\nmodel.compile("adam", "sparse_categorical_crossentropy")\nmodel.fit(x, y, epochs=2)\n';
    const imported = scriptToSpec(readKerasScript(source), { name: 't', data: { dataset: 'iris' } });
    expect(imported.spec).toMatchObject({
      model: { input_shape: [4], layers: [{ dense: { activation: 'relu' } }, { dense: { units: 3 } }] },
      train: { epochs: 2 },
    });
  });

  it("says when the spec is not the script's model: branches merged, layers added in a loop, layers nnlab has not", () => {
    const changes = (source: string) =>
      scriptToSpec(readKerasScript(source), { name: 't', data: { dataset: 'iris' } })
        .unmapped.filter((u) => u.changesModel)
        .map((u) => `${u.line} ${u.what}`);
    const branched =
      'from tensorflow import keras\nfrom tensorflow.keras import layers\ninputs = keras.Input(shape=(4,))\na = layers.Dense(8)(inputs)\nb = layers.Dense(8)(inputs)\nm = layers.concatenate([a, b])\nout = layers.Dense(3, activation="softmax")(m)\nmodel = keras.Model(inputs, out)\n';
    expect(changes(branched)).toEqual(['6 branches merged into one']);
    const loop =
      'from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential()\nfor h in [64, 32]:\n    model.add(Dense(h, activation="relu"))\nmodel.add(Dense(3, activation="softmax"))\n';
    expect(changes(loop)).toEqual(['5 model.add(Dense(h, activation="relu")) in a loop']);
    expect(
      changes('from keras.models import Sequential\nfrom keras.layers import LSTM, Dense\nmodel = Sequential([LSTM(8, input_shape=(10, 4)), Dense(3)])\n'),
    ).toEqual(['3 LSTM(…)']);
  });

  it('names the line where a script stops being Python', () => {
    expect(readKerasScript('import keras\nmodel = keras.Sequential([\n  keras.layers.Dense(3)\nmodel.fit(x, y\n').syntaxError).toBeGreaterThanOrEqual(2);
    expect(readKerasScript('import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\n').syntaxError).toBeUndefined();
    // A number written with a trailing point (rescale=1/255.) is Python, whatever the parser thinks of it.
    expect(
      readKerasScript('from keras.preprocessing.image import ImageDataGenerator\ngen = ImageDataGenerator(rescale=1/255., zoom_range=.1)\n').syntaxError,
    ).toBeUndefined();
  });

  it("reads losses and metrics passed as functions, positional metrics, and callbacks monitoring Keras' old names", () => {
    const source =
      'import keras\nfrom keras import metrics\nfrom keras.callbacks import EarlyStopping\nmodel = keras.Sequential([keras.layers.Dense(3, activation="softmax", input_shape=(4,))])\nmodel.compile("sgd", keras.losses.categorical_crossentropy, [metrics.categorical_accuracy])\nmodel.fit(x, y, epochs=3, callbacks=[EarlyStopping(monitor="val_acc", patience=2)])\n';
    const imported = scriptToSpec(readKerasScript(source), { name: 't', data: { dataset: 'iris' } });
    expect(imported.spec.train).toMatchObject({
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
      callbacks: { early_stopping: { monitor: 'val_accuracy', patience: 2 } },
    });
    expect(imported.unmapped).toEqual([]);
  });

  it('takes the CSV columns the script names as its target and features', () => {
    const source = 'import pandas as pd\ndf = pd.read_csv("flowers.csv")\nX = df[["sepal_length", "petal_length"]]\ny = df["species"]\nmodel.fit(X, y)\n';
    expect(csvColumnsNamed(readKerasScript(source), ['species', 'sepal_length', 'sepal_width', 'petal_length', 'petal_width'])).toEqual({
      target: 'species',
      features: ['sepal_length', 'petal_length'],
    });
  });

  it('uses every digit nnlab has where the script slices more than there are', () => {
    const source =
      'from keras.datasets import mnist\n(x_train, y_train), _ = mnist.load_data()\nx_train = x_train[:20000]\nmodel = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(10, activation="softmax")])\nmodel.fit(x_train, y_train)\n';
    const imported = scriptToSpec(readKerasScript(source), { name: 't' });
    expect(imported.spec.data).not.toHaveProperty('samples');
    expect(imported.sources.get('data.dataset')?.note).toMatch(/slices \[:20000\], more than the 10,000 there are: all of them are used/);
  });

  it('reads a script that is not Python enough to parse as far as it can, listing the model as not found', () => {
    const imported = scriptToSpec(readKerasScript('this is ( not python\n\tmodel.fit(\n'), { name: 't', data: { dataset: 'iris' } });
    expect(imported.unmapped.map((u) => u.what)).toContain('the model');
  });
});
