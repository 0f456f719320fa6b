/**
 * A training worker process: selects its backend once, then trains the runs its parent sends, one
 * at a time, reporting epochs and results as plain messages. It writes no files: the parent does,
 * so a worker killed mid-run leaves nothing behind.
 */
import type { SelectedBackend } from '../train/backend.js';
import { NNLAB_VERSION } from '../shared/version.js';
import type { FromWorker, ToWorker, WorkerSetup } from './messages.js';

// One thread per worker: parallelism comes from the workers, and oversubscribed cores are slower.
// Set before any native library (libtensorflow, OpenBLAS) is loaded, which read them once.
Object.assign(process.env, { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' });

const send = (message: FromWorker) => process.send?.(message);

let ready: Promise<SelectedBackend> | undefined;
let setup: WorkerSetup | undefined;

process.on('message', (message: ToWorker) => {
  void handle(message);
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal signals the whole process group. The parent decides what an interrupted run
// means (and kills its workers); a worker dying on its own would be recorded as a failed run.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'exit') process.exit(0);
  if (message.type === 'init') {
    setup = message.setup;
    const { selectBackend } = await import('../train/backend.js');
    ready = selectBackend(setup.backend, { native: setup.native, engine: setup.engine });
    try {
      // The description only: the kernel set (functions, the addon) stays in this process.
      const { kernelSet: _kernels, ...backend } = await ready;
      send({ type: 'ready', backend });
    } catch (err) {
      send({ type: 'init-failed', message: (err as Error).message, code: (err as { code?: string }).code });
    }
    return;
  }
  const backend = await ready!;
  const { trainOne } = await import('./train-one.js');
  const run = message.run;
  const env = { backend: backend.name, kernels: backend.kernels, versions: { nnlab: NNLAB_VERSION, tfjs: backend.tfjsVersion, node: setup!.nodeVersion } };
  const result = await trainOne(
    run,
    backend.kernelSet,
    env,
    setup!.cacheDir,
    () => new Date(),
    (row, epochs) => send({ type: 'epoch', id: run.id, row, epochs }),
  );
  send({ type: 'result', id: run.id, ...result });
}
