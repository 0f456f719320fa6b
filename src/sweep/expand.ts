import { canonicalJson, hashText } from '../shared/canonical-json.js';
import type { DataSpec } from '../spec/schema.js';
import type { PlannedRun, RunConfig } from '../run/run-chain.js';
import type { ValidatedSpec } from '../spec/validate.js';
import { dirname } from 'node:path';
import { formatFactorValue } from '../shared/factor-value.js';

/**
 * Bump when a change to nnlab makes the same config train differently, so cached runs are not reused.
 * 4: weight snapshots (restore_best) were corrupted by the in-place native Adam update.
 * 5: MLPs train on the dense engine (same formulas, different float rounding), and layers marked
 *    `trainable: false` are no longer updated by the tfjs-layers path.
 * 6: on the native path, models trained through tfjs-layers (conv nets) updated their kernels in
 *    place under XNNPACK's cached operators, so conv layers kept computing with their first kernel.
 * 7: without native kernels, the dense engine multiplies with nnlab's WebAssembly SIMD GEMM and
 *    updates with tfjs' float32 Adam (different float rounding from XNNPACK and the float64 loop).
 * 8: on the native path, the dense engine's products of operands with many zeros are nnlab's own
 *    GEMM (it skips them) even where the system BLAS was linked: machines with a BLAS round differently.
 * 9: on the native path, relu(−∞) is 0 as in tfjs, not NaN: a run whose pre-activations reach −∞
 *    (weights near the float32 maximum) may now diverge at another epoch, or not at all.
 * 10: conv nets (conv2d, pooling, weight penalties) train on nnlab's engine instead of tfjs-layers:
 *    the same gradients to float rounding, other bits.
 * test/train/semantics-pin.test.ts fails when training changes without a bump here.
 */
export const TRAINING_SEMANTICS_VERSION = 10;

export interface RunPlan {
  name: string;
  question?: string;
  factorNames: string[];
  seeds: number[];
  runs: PlannedRun[];
}

/**
 * Grid × seeds into runs, variant-major (all seeds of the first grid point first). `seedsOf` picks a
 * variant's seeds (adaptive rounds); by default every variant has the spec's.
 * @example expandSweep(spec).runs[0].id === 'hidden-5_bn-false_seed-1-3f9a0c12d4'
 */
export function expandSweep(
  spec: ValidatedSpec,
  fingerprint?: (data: DataSpec, dataDir: string) => Record<string, string> | undefined,
  seedsOf: (variant: number) => number[] = () => spec.seeds,
): RunPlan {
  const runs: PlannedRun[] = [];
  spec.variants.forEach((variant, index) => {
    const files = fingerprint?.(variant.spec.data, dirname(spec.file));
    for (const seed of seedsOf(index)) {
      const { data, model, train } = variant.spec;
      const config: RunConfig = { experiment: spec.name, seed, factors: variant.factors, data, ...(files ? { data_files: files } : {}), model, train };
      runs.push({ id: runId(config), variant: index, config, dataDir: dirname(spec.file) });
    }
  });
  return { name: spec.name, question: spec.question, factorNames: spec.factorNames, seeds: spec.seeds, runs };
}

/**
 * A readable prefix (factors and seed) plus a hash of what determines training. The experiment name
 * and factor labels are not hashed: renaming an experiment keeps its cached runs valid.
 */
export function runId(config: RunConfig): string {
  const hash = runHash(config);
  const prefix = [...Object.entries(config.factors).map(([k, v]) => `${k}-${formatFactorValue(v)}`), `seed-${config.seed}`]
    .join('_')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 80);
  return `${prefix}-${hash}`;
}

/**
 * The hash part of a run id: what determines the training, with this nnlab's training semantics.
 * A run folder whose config no longer hashes to its name was trained by an nnlab that trained differently.
 */
export function runHash(config: Pick<RunConfig, 'data' | 'data_files' | 'model' | 'train' | 'seed'>): string {
  const { data, data_files, model, train, seed } = config;
  return hashText(canonicalJson({ v: TRAINING_SEMANTICS_VERSION, data, ...(data_files ? { data_files } : {}), model, train, seed }));
}
