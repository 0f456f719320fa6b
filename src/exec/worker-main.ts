/**
 * A training worker process: selects its backend once, then trains the runs its parent sends, one
 * at a time, reporting epochs and results as plain messages. It writes no files: the parent does,
 * so a worker killed mid-run leaves nothing behind.
 */
import type { FromWorker, ToWorker } from './messages.js';

const send = (message: FromWorker) => process.send?.(message);

let ready: Promise<import('../train/backend.js').BackendInfo> | undefined;
let nodeVersion = process.versions.node;
let cacheDir: string | undefined;

process.on('message', (message: ToWorker) => {
  void handle(message);
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal signals the whole process group. The parent decides what an interrupted run
// means (and kills its workers); a worker dying on its own would be recorded as a failed run.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'exit') process.exit(0);
  if (message.type === 'init') {
    nodeVersion = message.nodeVersion;
    cacheDir = message.cacheDir;
    const { selectBackend } = await import('../train/backend.js');
    ready = selectBackend(message.backend, { native: message.native });
    try {
      send({ type: 'ready', backend: await ready });
    } catch (err) {
      send({ type: 'init-failed', message: (err as Error).message, code: (err as { code?: string }).code });
    }
    return;
  }
  const backend = await ready!;
  const { trainOne } = await import('./train-one.js');
  const run = message.run;
  const result = await trainOne(run, { backend, nodeVersion, now: () => new Date(), cacheDir }, (row, epochs) => send({ type: 'epoch', id: run.id, row, epochs }));
  send({ type: 'result', id: run.id, ...result });
}
