import { describe, expect, it } from 'vitest';
import { chooseKernels, type KernelFacts } from '../../src/train/kernel-choice.js';

const facts = (over: Partial<KernelFacts>): KernelFacts => ({ stock: false, native: true, engine: true, addon: { blas: true }, simd: 'loaded', ...over });
const noAddon = { unavailable: 'not built: no C compiler found' };
const noSimd = { unavailable: 'WebAssembly SIMD is not supported' };

describe('chooseKernels: which kernels the wasm backend trains on, and why', () => {
  it.each([
    {
      name: 'the addon with the BLAS, engine on',
      facts: facts({}),
      path: 'native',
      gemm: 'blas',
      engine: true,
      kernels: "wasm + native (system BLAS, nnlab's GEMM for sparse operands)",
    },
    {
      name: "native: 'own' keeps nnlab's GEMM where the BLAS is",
      facts: facts({ native: 'own' }),
      path: 'native',
      gemm: 'own',
      engine: true,
      kernels: "wasm + native (nnlab's own GEMM)",
    },
    {
      name: 'an addon built without the BLAS',
      facts: facts({ addon: { blas: false } }),
      path: 'native',
      gemm: 'own',
      engine: true,
      kernels: "wasm + native (nnlab's own GEMM)",
    },
    {
      name: 'the engine off: tfjs-layers on the BLAS',
      facts: facts({ engine: false }),
      path: 'native',
      gemm: 'blas',
      engine: false,
      kernels: 'wasm + native (system BLAS)',
    },
    { name: 'no addon: the SIMD kernels', facts: facts({ addon: noAddon }), path: 'simd', engine: true, kernels: 'wasm + SIMD kernels' },
    { name: 'NNLAB_NATIVE=0 with an addon built', facts: facts({ native: false }), path: 'simd', engine: true, kernels: 'wasm + SIMD kernels' },
    {
      name: 'neither addon nor SIMD',
      facts: facts({ addon: noAddon, simd: noSimd }),
      path: 'layers',
      engine: false,
      kernels: 'wasm (XNNPACK) + transposed-matmul fix',
    },
    {
      name: 'no addon, engine off',
      facts: facts({ addon: noAddon, engine: false }),
      path: 'layers',
      engine: false,
      kernels: 'wasm (XNNPACK) + transposed-matmul fix',
    },
    { name: "the benchmark's stock kernels", facts: facts({ stock: true }), path: 'stock', engine: false, kernels: 'wasm stock' },
  ])('$name', ({ facts: f, path, gemm, engine, kernels }) => {
    const choice = chooseKernels(f);
    expect(choice.path).toBe(path);
    expect(choice.gemm).toBe(gemm);
    expect(choice.engine).toBe(engine);
    expect(choice.name).toBe(kernels);
  });

  it('says why a path was passed over', () => {
    expect(chooseKernels(facts({ native: false })).reason).toBe(
      "dense layer stacks on nnlab's dense engine, others through tfjs-layers, on nnlab's WebAssembly SIMD kernels; native kernels off (NNLAB_NATIVE=0)",
    );
    expect(chooseKernels(facts({ addon: noAddon, simd: noSimd })).reason).toBe(
      "every model through tfjs-layers (nnlab's WebAssembly SIMD kernels: WebAssembly SIMD is not supported); native kernels not built: no C compiler found",
    );
    expect(chooseKernels(facts({ engine: false })).reason).toBe('every model through tfjs-layers; matrix products and Adam by native kernels (system BLAS)');
  });
});
