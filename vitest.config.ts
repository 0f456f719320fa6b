import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Training tests load tfjs and MNIST; forks keep each file's wasm heap separate.
    pool: 'forks',
    // Vitest's default leaves a core idle; end-to-end files spend much of their time starting
    // processes and waiting on them, so one file per core ran the suite in 318 s instead of 440 s
    // on 2 cores.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
