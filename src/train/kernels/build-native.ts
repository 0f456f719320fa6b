/**
 * Build nnlab's native kernels (run by `npm install` through the `prepare` script). They need a C
 * compiler and Node's headers; with a CBLAS (OpenBLAS on Linux, Accelerate on macOS) matrix products
 * use it (except the dense engine's products of operands with many zeros, which nnlab's own GEMM
 * skips), without one nnlab's own GEMM. Anything missing skips the build with one line saying why:
 * nnlab then trains on the WebAssembly path. NNLAB_NATIVE=0 skips it on purpose; NNLAB_BLAS=0 builds
 * without the system BLAS even where there is one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { wrapText } from '../../shared/wrap-text.js';
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
  // No errno from sqrt and no FP traps: without them GCC keeps the Adam and relu loops scalar and
  // branchy (5–25× slower); nnlab reads neither errno nor FP exception flags.
  const base = [
    '-O3',
    '-shared',
    '-fPIC',
    '-std=gnu11',
    '-Wall',
    '-Wno-psabi',
    '-ffp-contract=fast',
    '-fno-math-errno',
    '-fno-trapping-math',
    '-DNODE_GYP_MODULE_NAME=nnlab_blas',
    `-I${headers}`,
    ...(mac ? ['-undefined', 'dynamic_lookup'] : []),
  ];
  const withBlas = [
    ...base,
    '-DNNLAB_HAVE_BLAS',
    ...(mac ? ['-DNNLAB_ACCELERATE'] : []),
    SOURCE,
    '-o',
    NATIVE_ADDON,
    ...(mac ? ['-framework', 'Accelerate'] : ['-lopenblas', '-lm']),
  ];
  const withoutBlas = [...base, SOURCE, '-o', NATIVE_ADDON, '-lm'];
  mkdirSync(dirname(NATIVE_ADDON), { recursive: true });
  let why: string | undefined;
  if (process.env.NNLAB_BLAS !== '0') {
    why = compile(compiler, withBlas);
    if (!why) return say(`nnlab: built the native kernels (matrix products by ${mac ? 'Accelerate' : 'OpenBLAS'}) for the wasm backend`);
    if (why.startsWith('no C compiler')) return skip(why);
  }
  const own = compile(compiler, withoutBlas);
  if (own) return skip(own);
  say(`nnlab: built the native kernels with nnlab's own matrix product${why ? ` (${why}; libopenblas-dev makes them faster)` : ''}`);
}

/** Run the compiler; undefined on success, else why it failed, in a few words. */
function compile(compiler: string, args: string[]): string | undefined {
  try {
    execFileSync(compiler, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return undefined;
  } catch (err) {
    rmSync(NATIVE_ADDON, { force: true });
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return `no C compiler ("${compiler}")`;
    if (/cblas\.h/.test(stderr)) return 'no CBLAS header';
    if (/-lopenblas|openblas/.test(stderr)) return 'no OpenBLAS library';
    return stderr.split('\n')[0] || 'the compiler failed';
  }
}

function skip(reason: string): void {
  say(`nnlab: native kernels not built (${reason}); training uses the WebAssembly path`);
}

/** One install message, wrapped to the terminal (80 columns in a log): npm shows it as it is. */
function say(message: string): void {
  console.log(wrapText(message, Math.min(process.stdout.columns || 80, 100), '  '));
}

main();
