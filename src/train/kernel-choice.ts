/**
 * Which kernels the wasm backend trains on, from what this process has: one pure rule, so the
 * backend line, the trainer and the tests read the same decision.
 */
export interface KernelFacts {
  /** Keep tfjs' own wasm kernels (the benchmark's baseline). */
  stock: boolean;
  /** The native kernels may be used (NNLAB_NATIVE=0 says no); 'own': nnlab's GEMM even where the system BLAS is. */
  native: boolean | 'own';
  /** Dense layer stacks on nnlab's dense engine; false: tfjs-layers trains every model. */
  engine: boolean;
  /** The native addon: built (linked with the system BLAS or not), or why it is not there. */
  addon: { blas: boolean } | { unavailable: string };
  /** nnlab's WebAssembly SIMD module: loaded, or why not. */
  simd: 'loaded' | { unavailable: string };
}

export interface KernelChoice {
  /** stock: tfjs' wasm kernels; native: the addon's; simd: nnlab's WebAssembly ones; layers: tfjs-layers on the fixed wasm kernels. */
  path: 'stock' | 'native' | 'simd' | 'layers';
  /** The native path's GEMM: the system BLAS (nnlab's for operands whose zeros it skips), or nnlab's own throughout. */
  gemm?: 'blas' | 'own';
  /** The dense engine trains the models it can run. */
  engine: boolean;
  /** The backend line's kernel name (also in each run.json), and what was chosen and why. */
  name: string;
  reason: string;
}

/**
 * @example chooseKernels({stock: false, native: true, engine: true, addon: {blas: true}, simd: 'loaded'}).path === 'native'
 */
export function chooseKernels(facts: KernelFacts): KernelChoice {
  if (facts.stock) return { path: 'stock', engine: false, name: 'wasm stock', reason: 'stock kernels' };
  const addon = facts.native === false ? { unavailable: 'off (NNLAB_NATIVE=0)' } : facts.addon;
  const dense = facts.engine ? "dense layer stacks on nnlab's dense engine, others through tfjs-layers" : 'every model through tfjs-layers';
  if ('blas' in addon) {
    const gemm = facts.native === 'own' || !addon.blas ? 'own' : 'blas';
    const name = nativeGemmName(gemm, facts.engine);
    return {
      path: 'native',
      gemm,
      engine: facts.engine,
      name: `wasm + native (${name})`,
      reason: `${dense}; matrix products and Adam by native kernels (${name})`,
    };
  }
  if (facts.engine && facts.simd === 'loaded')
    return {
      path: 'simd',
      engine: true,
      name: 'wasm + SIMD kernels',
      reason: `${dense}, on nnlab's WebAssembly SIMD kernels; native kernels ${addon.unavailable}`,
    };
  // Without its kernels the dense engine has nothing to run on: tfjs-layers trains everything.
  const why = facts.engine && facts.simd !== 'loaded' ? ` (nnlab's WebAssembly SIMD kernels: ${facts.simd.unavailable})` : '';
  return {
    path: 'layers',
    engine: false,
    name: 'wasm (XNNPACK) + transposed-matmul fix',
    reason: `every model through tfjs-layers${why}; native kernels ${addon.unavailable}`,
  };
}

/** The native GEMM as the backend line names it. Without the dense engine every product is tfjs-layers' sgemm: the BLAS's where linked. */
export function nativeGemmName(gemm: 'blas' | 'own', engine: boolean): string {
  return gemm === 'own' ? "nnlab's own GEMM" : engine ? "system BLAS, nnlab's GEMM for sparse operands" : 'system BLAS';
}
