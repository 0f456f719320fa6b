import { replaceKernel, type KernelArgs, type KernelResult } from './replace-kernel.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Tile on the wasm heap by copying whole rows and then whole blocks (copyWithin). The stock wasm
 * Tile spends ~3.7 ms per step broadcasting batch norm's 1024 scales over a batch of 64 in its
 * gradient; this does it in ~0.05 ms. Same values, bit for bit.
 */
export function installHeapTile(backendName = 'wasm'): void {
  replaceKernel('Tile', backendName, (previous) => (args: KernelArgs) => {
    const x = (args.inputs as unknown as { x: TensorInfo }).x;
    const reps = (args.attrs as { reps: number[] }).reps;
    if (x.dtype === 'string' || x.shape.length === 0 || reps.length !== x.shape.length) return previous(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const outShape = x.shape.map((d, i) => d * reps[i]!);
    const out = backend.makeOutput(outShape, x.dtype);
    if (outShape.some((d) => d === 0)) return out as unknown as KernelResult;
    // Views are taken after makeOutput, which may grow (and replace) the heap.
    tileInto(backend.typedArrayFromHeap(x), x.shape, reps, backend.typedArrayFromHeap(out));
    return out as unknown as KernelResult;
  });
}

/** Row-major tile of `src` (shape) by `reps` into `dst`. Exported for tests. */
export function tileInto(
  src: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
  shape: number[],
  reps: number[],
  dst: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const inStride = new Array<number>(rank).fill(1);
  const outStride = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) {
    inStride[i] = inStride[i + 1]! * shape[i + 1]!;
    outStride[i] = outStride[i + 1]! * outShape[i + 1]!;
  }
  // Fill the block for dim `d` at (inOffset, outOffset): its x-part first, then repeat it reps[d] times.
  const fill = (d: number, inOffset: number, outOffset: number): void => {
    const block = shape[d]! * (d === rank - 1 ? 1 : outStride[d]!);
    if (d === rank - 1) dst.set(src.subarray(inOffset, inOffset + shape[d]!) as ArrayLike<number>, outOffset);
    else for (let i = 0; i < shape[d]!; i++) fill(d + 1, inOffset + i * inStride[d]!, outOffset + i * outStride[d]!);
    for (let r = 1; r < reps[d]!; r++) dst.copyWithin(outOffset + r * block, outOffset, outOffset + block);
  };
  fill(0, 0, 0);
}
