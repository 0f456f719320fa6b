import * as tf from '@tensorflow/tfjs';

export interface NativeAdamKernel {
  adam(
    heap: ArrayBuffer,
    varOff: number,
    gradOff: number,
    mOff: number,
    vOff: number,
    size: number,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    accBeta1: number,
    accBeta2: number,
  ): void;
}

type NamedTensor = { name: string; tensor: tf.Tensor };

interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
}

/**
 * Adam as tfjs computes it, but one native pass per variable updating weights (in a fresh copy)
 * and moments on the wasm heap — instead of ~15 tfjs ops per variable, each allocating a tensor.
 * Only for the wasm backend, for models trained through tfjs-layers.
 */
export class NativeAdamOptimizer extends tf.Optimizer {
  static readonly className = 'NnlabNativeAdam';
  private readonly moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
  private accBeta1 = 1;
  private accBeta2 = 1;

  constructor(
    private readonly kernel: NativeAdamKernel,
    private learningRate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    this.advanceBetaPowers();
    const backend = tf.backend() as unknown as WasmHeapBackend;
    for (const { name, tensor: gradient } of list) {
      if (gradient == null) continue;
      const variable = tf.engine().registeredVariables[name]!;
      // The update writes into fresh data every step, never into the data the variable had: XNNPACK
      // caches its operators (conv filters packed) by the weights' data id, so an update in place
      // would leave conv layers computing with their first kernel. A fresh copy also keeps a
      // clone() taken before (a restore-best snapshot; clones share data on wasm) unchanged.
      const copy = tf.mul(variable, 1);
      variable.assign(copy);
      copy.dispose(); // the variable holds the only reference to the new data
      let slot = this.moments.get(name);
      if (!slot) {
        slot = { m: tf.keep(tf.zerosLike(variable)), v: tf.keep(tf.zerosLike(variable)) };
        this.moments.set(name, slot);
      }
      const offset = (t: tf.Tensor) => backend.dataIdMap.get(t.dataId)!.memoryOffset!;
      this.kernel.adam(
        backend.wasm.HEAPU8.buffer as ArrayBuffer,
        offset(variable),
        offset(gradient),
        offset(slot.m),
        offset(slot.v),
        variable.size,
        this.learningRate,
        this.beta1,
        this.beta2,
        this.epsilon,
        this.accBeta1,
        this.accBeta2,
      );
    }
    this.incrementIterations();
  }

  /** beta^t for the next step: tfjs keeps them as float32 products; so does this, so the updates agree. */
  private advanceBetaPowers(): void {
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }

  /** tfjs Adam's layout: the iteration count, then every first moment (`<var>/m`), then every second (`<var>/v`). */
  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.moments.entries()];
    return [
      await this.saveIterations(),
      ...slots.map(([name, { m }]) => ({ name: `${name}/m`, tensor: m })),
      ...slots.map(([name, { v }]) => ({ name: `${name}/v`, tensor: v })),
    ];
  }

  /** Restores what getWeights (or tfjs' Adam) saved, so training continues where it stopped. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.accBeta1 = 1;
    this.accBeta2 = 1;
    for (let i = 0; i < this.iterations; i++) this.advanceBetaPowers();
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
    const count = rest.length / 2;
    for (let i = 0; i < count; i++) {
      const name = rest[i]!.name.replace(/\/m$/, '');
      this.moments.set(name, { m: tf.keep(rest[i]!.tensor.clone()), v: tf.keep(rest[count + i]!.tensor.clone()) });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
