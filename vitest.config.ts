import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Training tests load tfjs and MNIST; forks keep each file's wasm heap separate.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
