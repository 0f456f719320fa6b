import { describe, expect, it } from 'vitest';
import { SimdHeap } from '../../src/train/kernels/simd-heap.js';

const PAGE = 65536;
const sharedMemory = (pages: number) => new WebAssembly.Memory({ initial: pages, maximum: 1024, shared: true });

describe('SimdHeap', () => {
  it('hands out aligned, zeroed, non-overlapping arrays after its start', () => {
    const heap = new SimdHeap(sharedMemory(1), 100);
    const a = heap.alloc(3).fill(1);
    const b = heap.alloc(40).fill(2);
    expect(a.byteOffset).toBe(128);
    expect(b.byteOffset % 64).toBe(0);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 12);
    expect(Array.from(a)).toEqual([1, 1, 1]);
    expect(heap.offsetOf(b)).toBe(b.byteOffset);
    expect(heap.offsetOf(new Float32Array(4))).toBeUndefined();
  });

  it('reuses freed blocks, merging neighbours, and zeroes them again', () => {
    const heap = new SimdHeap(sharedMemory(1), 0);
    const total = heap.freeBytes;
    const [a, b, c] = [16, 16, 16].map((n) => heap.alloc(n).fill(7));
    heap.release(a!);
    heap.release(c!);
    heap.release(b!);
    expect(heap.freeBytes).toBe(total);
    const d = heap.alloc(48);
    expect(d.byteOffset).toBe(a!.byteOffset);
    expect(d.every((v) => v === 0)).toBe(true);
  });

  it('grows the memory when nothing fits, and arrays from before stay usable', () => {
    const memory = sharedMemory(1);
    const heap = new SimdHeap(memory, 0);
    const first = heap.alloc(1000).fill(5);
    const big = heap.alloc(PAGE); // 256 KiB: four more pages at least
    expect(memory.buffer.byteLength).toBeGreaterThan(PAGE);
    big.fill(1);
    expect(first.length).toBe(1000);
    expect(first.every((v) => v === 5)).toBe(true);
    expect(heap.offsetOf(first)).toBe(first.byteOffset);
    expect(heap.offsetOf(big)).toBe(big.byteOffset);
  });
});
