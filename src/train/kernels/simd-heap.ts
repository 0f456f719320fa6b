/**
 * Float32Arrays in a WebAssembly memory, so the SIMD kernels work on them where they are. The
 * memory is shared: growing it keeps every array handed out before valid (an unshared memory
 * detaches them all). First fit over a sorted free list; neighbouring free blocks merge.
 */
export class SimdHeap {
  /** Free byte ranges [start, end), sorted, never adjacent. */
  private readonly free: Array<{ start: number; end: number }> = [];
  /** Every ArrayBuffer object this memory has had: an array on one of them is on this heap. */
  private readonly buffers = new Set<ArrayBufferLike>();

  constructor(
    readonly memory: WebAssembly.Memory,
    start: number,
  ) {
    const begin = align(start);
    if (begin < memory.buffer.byteLength) this.free.push({ start: begin, end: memory.buffer.byteLength });
  }

  /** A zeroed array of `length` floats on the heap. */
  alloc(length: number): Float32Array {
    const bytes = align(Math.max(1, length) * 4);
    let index = this.free.findIndex((b) => b.end - b.start >= bytes);
    if (index < 0) index = this.grow(bytes);
    const block = this.free[index]!;
    const start = block.start;
    if (block.end - start === bytes) this.free.splice(index, 1);
    else block.start += bytes;
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer, start, length).fill(0);
  }

  /** Give an array from `alloc` back; it must not be used after. */
  release(array: Float32Array): void {
    const start = array.byteOffset;
    const end = start + align(Math.max(1, array.length) * 4);
    let i = this.free.findIndex((b) => b.start > start);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { start, end });
    this.merge(i);
    if (i > 0) this.merge(i - 1);
  }

  /** The byte offset of `array` in the memory, or undefined when it is not on this heap. */
  offsetOf(array: ArrayBufferView): number | undefined {
    return this.buffers.has(array.buffer) ? array.byteOffset : undefined;
  }

  /** Bytes not handed out (for tests). */
  get freeBytes(): number {
    return this.free.reduce((sum, b) => sum + b.end - b.start, 0);
  }

  /** Grow the memory by at least `bytes` (and at least half its size: fewer, larger steps); the index of the free block that fits. */
  private grow(bytes: number): number {
    const before = this.memory.buffer.byteLength;
    const pages = Math.ceil(Math.max(bytes, before / 2) / 65536);
    this.memory.grow(pages);
    const after = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    if (last && last.end === before) last.end = after;
    else this.free.push({ start: before, end: after });
    return this.free.length - 1;
  }

  private merge(i: number): void {
    const a = this.free[i];
    const b = this.free[i + 1];
    if (a && b && a.end === b.start) {
      a.end = b.end;
      this.free.splice(i + 1, 1);
    }
  }
}

/** 64 bytes: a cache line, and a multiple of the 16-byte SIMD width. */
function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
