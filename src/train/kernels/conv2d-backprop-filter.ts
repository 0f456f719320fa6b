import * as tf from '@tensorflow/tfjs';
import type { KernelArgs, KernelResult } from './replace-kernel.js';
import { windowGeometry, type TensorInfo, type WasmHeapBackend, type WindowGeometry } from './wasm-heap.js';

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The wasm backend has no Conv2DBackpropFilter kernel, so a conv layer cannot train on it. This
 * registers one: the input patches are laid out transposed (im2col, one row per filter tap and
 * input channel) and multiplied by the output gradient with the backend's own BatchMatMul, which
 * is the native BLAS or transposed-matmul-fixed kernel when those are installed.
 */
export function installConv2DBackpropFilter(backendName = 'wasm'): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', backendName)) return false;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ((args: KernelArgs): KernelResult => {
      const { x, dy } = args.inputs as unknown as { x: TensorInfo; dy: TensorInfo };
      const attrs = args.attrs as unknown as FilterGradAttrs;
      if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports channels-last (NHWC) data only');
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      const geometry = windowGeometry(info);
      const backend = args.backend as unknown as WasmHeapBackend;
      const taps = geometry.filterHeight * geometry.filterWidth * geometry.channels;
      const positions = geometry.batch * geometry.outHeight * geometry.outWidth;
      const patches = backend.makeOutput([1, taps, positions], 'float32');
      transposedPatchesInto(backend.typedArrayFromHeap(x), geometry, backend.typedArrayFromHeap(patches));
      const matMul = tf.getKernel('BatchMatMul', backendName)!.kernelFunc;
      const gradient = { dataId: dy.dataId, shape: [1, positions, info.outChannels], dtype: 'float32' };
      const product = matMul({
        inputs: { a: patches, b: gradient } as unknown as tf.NamedTensorInfoMap,
        backend: args.backend,
        attrs: { transposeA: false, transposeB: false },
      }) as TensorInfo;
      backend.disposeData(patches.dataId);
      return { dataId: product.dataId, shape: [...attrs.filterShape], dtype: 'float32' } as unknown as KernelResult;
    }) as tf.KernelFunc,
  });
  return true;
}

/**
 * Write the convolution's input patches transposed: row (fh, fw, c) holds, for every output
 * position (b, oh, ow), the input value under that filter tap (zero in the padding). Then
 * rows × output gradient is the filter gradient in [fh, fw, c, outChannels] order. Exported for tests.
 */
export function transposedPatchesInto(x: Float32Array, g: WindowGeometry, out: Float32Array): void {
  const positions = g.batch * g.outHeight * g.outWidth;
  const rowStride = g.inWidth * g.channels;
  const imageStride = g.inHeight * rowStride;
  let row = 0;
  for (let fh = 0; fh < g.filterHeight; fh++) {
    for (let fw = 0; fw < g.filterWidth; fw++) {
      for (let c = 0; c < g.channels; c++, row++) {
        let o = row * positions;
        for (let b = 0; b < g.batch; b++) {
          const image = b * imageStride + c;
          for (let oh = 0; oh < g.outHeight; oh++) {
            const ih = oh * g.strideHeight + fh - g.padTop;
            if (ih < 0 || ih >= g.inHeight) {
              out.fill(0, o, o + g.outWidth);
              o += g.outWidth;
              continue;
            }
            const line = image + ih * rowStride;
            for (let ow = 0; ow < g.outWidth; ow++, o++) {
              const iw = ow * g.strideWidth + fw - g.padLeft;
              out[o] = iw >= 0 && iw < g.inWidth ? x[line + iw * g.channels]! : 0;
            }
          }
        }
      }
    }
  }
}
