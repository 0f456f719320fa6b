import * as tf from '@tensorflow/tfjs';
import { replaceKernel, type KernelArgs, type KernelResult } from './replace-kernel.js';
import { windowGeometry, type TensorInfo, type WasmHeapBackend, type WindowGeometry } from './wasm-heap.js';

/**
 * The wasm backend's MaxPoolGrad and Conv2DBackpropInput are plain loops that take ~6 and ~8 ms of
 * a ~39 ms step of overfitting-cnn.yaml's CNN. Replace them: max-pool gradients routed in one pass
 * over the windows, and the input gradient of a convolution as one matrix product (output gradient
 * × filterᵀ, by the backend's BatchMatMul) scattered back onto the input (col2im).
 */
export function installConvPoolGrads(backendName = 'wasm'): void {
  replaceKernel('MaxPoolGrad', backendName, (previous) => (args: KernelArgs) => {
    const { dy, input } = args.inputs as unknown as { dy: TensorInfo; input: TensorInfo };
    const attrs = args.attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    if (input.shape.length !== 4 || input.dtype !== 'float32') return previous(args);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const backend = args.backend as unknown as WasmHeapBackend;
    const dx = backend.makeOutput(input.shape, 'float32');
    maxPoolGradInto(backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), windowGeometry(info), backend.typedArrayFromHeap(dx));
    return dx as unknown as KernelResult;
  });

  replaceKernel('Conv2DBackpropInput', backendName, (previous) => (args: KernelArgs) => {
    const { dy, filter } = args.inputs as unknown as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: [number, number, number, number];
    };
    if (attrs.dataFormat === 'NCHW') return previous(args);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    // conv2dTranspose may hand in a dy larger than the convolution's output (tfjs then reads its
    // top-left window); the matrix product below needs dy to be exactly that output.
    if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth) return previous(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const positions = info.batchSize * info.outHeight * info.outWidth;
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    const matMul = tf.getKernel('BatchMatMul', backendName)!.kernelFunc;
    // [positions, outChannels] × [taps, outChannels]ᵀ: each output position's contribution to every tap.
    const columns = matMul({
      inputs: {
        a: { dataId: dy.dataId, shape: [1, positions, info.outChannels], dtype: 'float32' },
        b: { dataId: filter.dataId, shape: [1, taps, info.outChannels], dtype: 'float32' },
      } as unknown as tf.NamedTensorInfoMap,
      backend: args.backend,
      attrs: { transposeA: false, transposeB: true },
    }) as TensorInfo;
    const dx = backend.makeOutput(attrs.inputShape, 'float32');
    columnsToImageInto(backend.typedArrayFromHeap(columns), windowGeometry(info), backend.typedArrayFromHeap(dx));
    backend.disposeData(columns.dataId);
    return dx as unknown as KernelResult;
  });
}

/**
 * Each output gradient goes to the input position that was its window's maximum (the first one in
 * row-major order on ties, as tfjs' cpu backend does); windows may overlap, so gradients add up.
 * Exported for tests.
 */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, g: WindowGeometry, dx: Float32Array): void {
  dx.fill(0);
  const C = g.channels;
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * g.inHeight * g.inWidth * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const r0 = oh * g.strideHeight - g.padTop;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(g.inHeight, r0 + g.filterHeight);
      for (let ow = 0; ow < g.outWidth; ow++, o += C) {
        const c0 = ow * g.strideWidth - g.padLeft;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(g.inWidth, c0 + g.filterWidth);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let c = cMin; c < cMax; c++) {
            const p = image + (r * g.inWidth + c) * C;
            for (let ch = 0; ch < C; ch++) {
              if (x[p + ch]! > best[ch]!) {
                best[ch] = x[p + ch]!;
                at[ch] = p + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < C; ch++) if (at[ch]! >= 0) dx[at[ch]!] = dx[at[ch]!]! + dy[o + ch]!;
      }
    }
  }
}

/**
 * col2im: add each output position's column (one value per filter tap and input channel) onto the
 * input pixels under that tap; taps over the padding are dropped. Exported for tests.
 */
export function columnsToImageInto(columns: Float32Array, g: WindowGeometry, dx: Float32Array): void {
  dx.fill(0);
  const C = g.channels;
  const taps = g.filterHeight * g.filterWidth * C;
  let n = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * g.inHeight * g.inWidth * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++, n++) {
        const column = n * taps;
        for (let fh = 0; fh < g.filterHeight; fh++) {
          const r = oh * g.strideHeight + fh - g.padTop;
          if (r < 0 || r >= g.inHeight) continue;
          for (let fw = 0; fw < g.filterWidth; fw++) {
            const c = ow * g.strideWidth + fw - g.padLeft;
            if (c < 0 || c >= g.inWidth) continue;
            const p = image + (r * g.inWidth + c) * C;
            const t = column + (fh * g.filterWidth + fw) * C;
            for (let ch = 0; ch < C; ch++) dx[p + ch] = dx[p + ch]! + columns[t + ch]!;
          }
        }
      }
    }
  }
}
