// Runs TensorFlow.js' own compiled op tests (from @tensorflow/tfjs-core/dist, with its jasmine
// harness) on one kernel set, in this process, and prints one JSON line per test:
//   node run-tfjs-op-tests.mjs <cpu|stock|pure|native> <test file relative to tfjs-core/dist>...
// The kernel set is nnlab's backend selection; tfjs' test files are read, not copied.
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

register('./extensionless-loader.mjs', import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const coreDist = dirname(require.resolve('@tensorflow/tfjs-core/dist/jasmine_util.js'));
// tfjs-core's test files call require() from ESM, as a bundler would let them.
globalThis.require = createRequire(join(coreDist, 'jasmine_util.js'));

const [kernels, ...files] = process.argv.slice(2);
const jasmineRequire = require('jasmine-core/lib/jasmine-core/jasmine.js');
const j$ = jasmineRequire.core(jasmineRequire);
const env = j$.getEnv();
Object.assign(globalThis, jasmineRequire.interface(j$, env));
env.configure({ random: false });

const { selectBackend } = await import(pathToFileURL(join(root, 'dist', 'train', 'backend.js')).href);
const backendName = kernels === 'cpu' ? 'cpu' : 'wasm';
const info = await selectBackend(backendName, { stockKernels: kernels === 'stock', native: kernels === 'native', addedKernels: kernels !== 'stock' });
const nativeAdam = info.kernelSet.nativeAdam;
if (kernels === 'native' && !nativeAdam) throw new Error('the native kernels are not built');
const core = await import(pathToFileURL(join(coreDist, 'index.js')).href);
const harness = await import(pathToFileURL(join(coreDist, 'jasmine_util.js')).href);
harness.setTestEnvs([{ name: backendName, backendName, isDataSync: true }]);
if (kernels === 'native') {
  // The optimizer tests build Adam through tf.train.adam: give them nnlab's native Adam.
  const { NativeAdamOptimizer } = await import(pathToFileURL(join(root, 'dist', 'train', 'kernels', 'native-adam.js')).href);
  core.train.adam = (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = null) => new NativeAdamOptimizer(nativeAdam, learningRate, beta1, beta2, epsilon ?? core.backend().epsilon());
}
for (const file of files) await import(pathToFileURL(join(coreDist, file)).href);

const results = [];
env.addReporter({ specDone: (r) => results.push({ name: r.fullName.replace(` ${backendName} {}`, ''), status: r.status, failures: r.failedExpectations.map((e) => e.message.split('\n')[0]) }) });
await new Promise((resolve) => {
  env.addReporter({ jasmineDone: resolve });
  env.execute();
});
process.stdout.write(JSON.stringify({ kernels, backend: info.kernels, results }) + '\n');
process.exit(0);
