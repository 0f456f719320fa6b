// Train one small seed-MLP run (or, with `cnn`, a small CNN; see history-specs.mjs) in this process with
// the kernels named on the command line and print its history as JSON. tfjs registers kernels
// process-wide, so each tfjs-layers path needs a process of its own (fast-kernels.test.ts trains the
// dense engine's paths in-process: their kernels are a value).
// usage: node train-history.mjs <kernels> [bn] [dropout] [optimizer] [cnn]
//   kernels: stock (tfjs-layers on stock wasm), layers-pure / layers-native (tfjs-layers on nnlab's
//   kernels), pure / native / own (nnlab's dense engine on its WebAssembly SIMD kernels, the system BLAS,
//   nnlab's native GEMM)
import { selectBackend } from '../../dist/train/backend.js';
import { validateSpecText } from '../../dist/spec/validate.js';
import { expandSweep } from '../../dist/sweep/expand.js';
import { readDataset } from '../../dist/data/read-dataset.js';
import { prepareSplit } from '../../dist/data/prepare-split.js';
import { trainRun } from '../../dist/train/train-run.js';
import { historySpec } from './history-specs.mjs';

const [kernels, ...flags] = process.argv.slice(2);
const native = { native: true, own: 'own', 'layers-native': true }[kernels] ?? false;
const backend = await selectBackend('wasm', { stockKernels: kernels === 'stock', native, engine: !kernels.startsWith('layers') });
const { value } = validateSpecText(historySpec(flags), 'k.yaml');
const config = expandSweep(value).runs[0].config;
const split = prepareSplit(await readDataset(config.data), config.data, config.seed);
const out = await trainRun(config, split, backend.kernelSet);
process.stdout.write(JSON.stringify({ kernels: backend.kernels, engine: out.engine, history: out.history }));
