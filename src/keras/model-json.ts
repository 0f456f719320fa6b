import { mark, unmapped, type Imported } from './imported.js';
import { mapLayers } from './map-layers.js';
import type { PyCall, PyValue } from './python-values.js';
import { QUESTION_PLACEHOLDER, type DataChoice } from './script-to-spec.js';

/** Layer settings Keras writes out at their defaults: they change nothing, so they are not listed as unmapped. */
const DEFAULTS: Record<string, unknown> = {
  data_format: 'channels_last',
  dilation_rate: [1, 1],
  groups: 1,
  axis: -1,
  center: true,
  scale: true,
  noise_shape: null,
  seed: null,
  beta_initializer: 'Zeros',
  gamma_initializer: 'Ones',
  moving_mean_initializer: 'Zeros',
  moving_variance_initializer: 'Ones',
  batch_size: null,
  sparse: false,
  ragged: false,
  synchronized: false,
  lora_rank: null,
};

/**
 * A spec from Keras' `model.to_json()` (Keras 2 and 3; also a TensorFlow.js model.json): the layers as a script's would be, through
 * the same mapping. The JSON has no training settings, so train takes Adam (0.001), the loss the
 * output activation calls for, 10 epochs and batch 32, each marked as an assumption to check.
 * @example modelJsonToSpec(JSON.parse(text), {name: 'model'}).spec.model.layers.length
 */
export function modelJsonToSpec(json: unknown, options: { name: string; data?: DataChoice; featureShape?: number[] }): Imported {
  const imported: Imported = { spec: {}, sources: new Map(), unmapped: [] };
  const config = (unwrap(json) as { config?: { layers?: unknown } } | undefined)?.config;
  const layersJson = Array.isArray(config?.layers) ? config!.layers : [];
  if (layersJson.length === 0) unmapped(imported, 0, 'the model', 'no layers: expected the output of model.to_json() for a Sequential model');
  const calls = layersJson.map((l) => toCall(l));
  const { layers, inputShape } = mapLayers(calls, imported);
  const last = layers[layers.length - 1] as Record<string, unknown> | string | undefined;
  const activation =
    typeof last === 'string'
      ? last
      : last && typeof last === 'object'
        ? ((Object.values(last)[0] as Record<string, unknown> | undefined)?.activation as string | undefined)
        : undefined;
  const loss = activation === 'softmax' ? 'categorical_crossentropy' : activation === 'sigmoid' ? 'binary_crossentropy' : 'mse';
  const assumed = 'model.to_json() holds no training settings: an assumption, check it';
  for (const path of ['train.optimizer', 'train.loss', 'train.epochs', 'train.batch_size']) mark(imported, path, undefined, assumed);
  const shape = inputShape ?? options.featureShape;
  if (!inputShape) mark(imported, 'model.input_shape', undefined, 'from the data: the JSON gives none');
  imported.spec = {
    name: options.name,
    question: QUESTION_PLACEHOLDER,
    data: { ...(options.data ?? { dataset: 'mnist' }), validation_split: 0.2 },
    model: { input_shape: shape ?? [1], layers },
    train: { optimizer: { adam: { learning_rate: 0.001 } }, loss, epochs: 10, batch_size: 32 },
    sweep: { seeds: [1, 2, 3] },
  };
  if (options.data) mark(imported, 'data.dataset', undefined, 'given with --data');
  return imported;
}

/** The model itself from the files that carry it: a TensorFlow.js model.json (modelTopology) or a Keras h5's model_config. */
function unwrap(json: unknown): unknown {
  const j = json as { modelTopology?: unknown; model_config?: unknown } | null;
  if (j && typeof j === 'object' && 'modelTopology' in j) return unwrap(j.modelTopology);
  if (j && typeof j === 'object' && 'model_config' in j) return unwrap(j.model_config);
  return json;
}

/** `{class_name: 'Dense', config: {...}}` as the constructor call a script would make (nested configs too). */
function toCall(layer: unknown): PyValue {
  const l = layer as { class_name?: unknown; config?: Record<string, unknown> };
  if (typeof l?.class_name !== 'string') return { kind: 'unknown', text: JSON.stringify(layer)?.slice(0, 60) ?? 'null', line: 0 };
  const kwargs: Record<string, PyValue> = {};
  for (const [key, value] of Object.entries(l.config ?? {})) {
    if (value === null || JSON.stringify(DEFAULTS[key]) === JSON.stringify(value) || (isNested(value) && DEFAULTS[key] === value.class_name)) continue;
    // Keras 3 writes batch norm's default axis (the last, -1) resolved: [1] after a dense layer, [3] after a conv.
    if (key === 'axis' && l.class_name === 'BatchNormalization' && Array.isArray(value) && value.length === 1) continue;
    if (key === 'build_config' || key === 'dtype_policy' || (key === 'trainable' && value === true)) continue;
    kwargs[key === 'batch_shape' ? 'batch_input_shape' : key] = toValue(value);
  }
  return { kind: 'call', callee: l.class_name, args: [], kwargs, line: 0 } satisfies PyCall;
}

function toValue(value: unknown): PyValue {
  if (isNested(value)) return toCall(value);
  if (Array.isArray(value)) return value.map(toValue);
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return value as PyValue;
  return { kind: 'unknown', text: JSON.stringify(value).slice(0, 60), line: 0 };
}

function isNested(value: unknown): value is { class_name: string; config?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { class_name?: unknown }).class_name === 'string';
}
