/**
 * Build nnlab's native BLAS kernel (run by `npm install` through the `prepare` script). It needs a C
 * compiler, Node's headers and a CBLAS (OpenBLAS on Linux, Accelerate on macOS). Anything missing
 * skips the build with one line saying why: nnlab then trains on the pure WebAssembly path.
 * NNLAB_NATIVE=0 skips it on purpose.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NATIVE_ADDON_PATH as NATIVE_ADDON, NATIVE_SOURCE_PATH as SOURCE } from './addon-path.js';

function main(): void {
  if (process.env.NNLAB_NATIVE === '0') return skip('NNLAB_NATIVE=0');
  if (!existsSync(SOURCE)) return skip(`source ${SOURCE} not found`);
  const headers = [process.env.npm_config_nodedir, join(dirname(process.execPath), '..')]
    .filter((d): d is string => Boolean(d))
    .map((d) => join(d, 'include', 'node'))
    .find((d) => existsSync(join(d, 'node_api.h')));
  if (!headers) return skip("Node's C headers (node_api.h) were not found");
  const compiler = process.env.CC || 'cc';
  const mac = process.platform === 'darwin';
  const args = [
    '-O3', '-shared', '-fPIC', '-std=c11', '-Wall', '-DNODE_GYP_MODULE_NAME=nnlab_blas', `-I${headers}`,
    ...(mac ? ['-DNNLAB_ACCELERATE', '-undefined', 'dynamic_lookup'] : []),
    SOURCE, '-o', NATIVE_ADDON,
    ...(mac ? ['-framework', 'Accelerate'] : ['-lopenblas', '-lm']),
  ];
  mkdirSync(dirname(NATIVE_ADDON), { recursive: true });
  try {
    execFileSync(compiler, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(NATIVE_ADDON, { force: true });
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? `no C compiler ("${compiler}")`
      : /cblas\.h/.test(stderr) ? 'no CBLAS header (install libopenblas-dev)'
      : /-lopenblas|openblas/.test(stderr) ? 'no OpenBLAS library (install libopenblas-dev)'
      : stderr.split('\n')[0] || 'the compiler failed';
    return skip(reason);
  }
  console.log(`nnlab: built the native BLAS kernel (${mac ? 'Accelerate' : 'OpenBLAS'}) for the wasm backend`);
}

function skip(reason: string): void {
  console.log(`nnlab: native BLAS kernel not built (${reason}); training uses the pure WebAssembly path`);
}

main();
