import * as tf from '@tensorflow/tfjs';
import { replaceKernel, type KernelArgs } from './replace-kernel.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };

let installed = false;

/**
 * The wasm backend multiplies untransposed matrices ~10-40× faster than transposed ones, and the
 * backward pass of every dense layer is made of transposed products. Re-register BatchMatMul and
 * _FusedMatMul so a transposed operand is first copied out transposed (a cheap O(n²) Transpose),
 * then multiplied untransposed. Same arithmetic in the same order: results are unchanged.
 */
export function installTransposedMatMulFix(backendName = 'wasm'): void {
  if (installed) return;
  const transpose = tf.getKernel('Transpose', backendName)?.kernelFunc;
  if (!transpose) return;
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    replaceKernel(kernelName, backendName, (original) => (args: KernelArgs) => {
      const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original(args);
      const temporaries: TensorInfo[] = [];
      const transposed = (x: TensorInfo): TensorInfo => {
        const rank = x.shape.length;
        const perm = [...Array(rank).keys()];
        [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
        const out = transpose({ inputs: { x } as unknown as tf.NamedTensorInfoMap, backend: args.backend, attrs: { perm } }) as TensorInfo;
        temporaries.push(out);
        return out;
      };
      const inputs = args.inputs as unknown as { a: TensorInfo; b: TensorInfo };
      const a = attrs.transposeA ? transposed(inputs.a) : inputs.a;
      const b = attrs.transposeB ? transposed(inputs.b) : inputs.b;
      const out = original({
        ...args,
        inputs: { ...args.inputs, a, b } as unknown as tf.NamedTensorInfoMap,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
      const backend = args.backend as { disposeData(id: object): void };
      for (const t of temporaries) backend.disposeData(t.dataId);
      return out;
    });
  }
  installed = true;
}
