import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** nnlab's package root: the nearest folder above this module holding package.json (works from src/ and dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = packageRoot();

/** Where the install step puts the native BLAS addon, and where its C source is. */
export const NATIVE_ADDON_PATH = join(ROOT, 'dist', 'native', 'nnlab_blas.node');
export const NATIVE_SOURCE_PATH = join(ROOT, 'src', 'train', 'kernels', 'native', 'blas-addon.c');

/** Where `npm run build` puts the WebAssembly SIMD kernels (compiled by kernels/simd/asconfig.json). */
export const SIMD_MODULE_PATH = join(ROOT, 'dist', 'wasm', 'dense-simd.wasm');
