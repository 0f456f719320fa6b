import type * as tf from '@tensorflow/tfjs';

/** What nnlab's wasm kernels use of tfjs' tensor records and of the wasm backend. */
export type TensorInfo = { dataId: object; shape: number[]; dtype: string };
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  /** A view of a tensor on the wasm heap; take it after makeOutput, which may grow (and replace) the heap. */
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(id: object): void;
}

/** The geometry of a 2-D convolution or pooling window over channels-last data. */
export interface WindowGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** From tfjs' computeConv2DInfo / computePool2DInfo (the input's channels). */
export function windowGeometry(info: tf.backend_util.Conv2DInfo): WindowGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
