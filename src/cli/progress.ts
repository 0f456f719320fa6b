import type { PlannedRun, RunRecord } from '../run/run-chain.js';
import type { SweepEvents } from '../exec/run-sweep.js';
import { inferShapes } from '../model/shapes.js';
import { variantLabel } from '../shared/factor-value.js';
import type { HistoryRow } from '../shared/history-contract.js';
import type { Terminal } from './terminal.js';
import { relative } from 'node:path';
import { createEta, type RunSize } from './eta.js';
import { builtinInfo, trainingSamples } from '../data/catalog.js';
import { wrapText } from '../shared/wrap-text.js';

const relativeTo = (cwd: string, path: string) => relative(cwd, path) || path;

/**
 * Progress on stderr. On a TTY: finished runs scroll above a live block (runs done / total, the
 * round of an adaptive sweep, ETA, and each worker's run and epoch), every line wrapped to the
 * terminal, never cut. Otherwise: one plain line per finished run, for CI logs. `maxRounds`: the
 * rounds seeds until decided may take (startRound says which one is on).
 */
export function progressReporter(
  term: Terminal,
  primaryMetric: string,
  options: { now?: () => number; maxRounds?: number } = {},
): SweepEvents & { startRound(round: number): void; stop(): void } {
  const now = options.now ?? (() => Date.now());
  let round = 1;
  const workers = new Map<number, { run: PlannedRun; epoch: number; epochs: number; started: number; value?: number }>();
  const estimate = createEta();
  let pending: PlannedRun[] = [];
  let total = 0;
  let done = 0;
  let parallel = 1;
  let blockHeight = 0;
  let lastDraw = 0;
  let stopped = false;

  const label = (run: PlannedRun) => `${variantLabel(run.config.factors)} seed=${run.config.seed}`;
  const eta = () => {
    const inFlight = [...workers.values()].map((w) => ({ ...sizeOf(w.run), doneShare: w.epochs ? w.epoch / w.epochs : 0 }));
    const left = estimate.remaining(pending.map(sizeOf), inFlight, parallel);
    // An adaptive sweep may add rounds: the estimate is for this one, and says so.
    const scope = options.maxRounds && options.maxRounds > 1 ? ' in this round' : '';
    return left === undefined ? '' : ` · about ${clock(left)} left${scope}`;
  };
  const roundNote = () => (options.maxRounds && options.maxRounds > 1 ? ` · round ${round} of up to ${options.maxRounds}` : '');
  const fit = (line: string, hanging: string) => wrapText(line, term.columns - 1, hanging).split('\n');
  const draw = (log?: string, force = false) => {
    if (stopped) return;
    if (!term.isTTY) {
      if (log) term.stderr(log + '\n');
      return;
    }
    if (!force && !log && now() - lastDraw < 100) return;
    lastDraw = now();
    const block =
      done === total
        ? []
        : [
            ...fit(`[${done}/${total} runs${roundNote()}]${eta()}`, '  '),
            ...[...workers.entries()]
              .sort(([a], [b]) => a - b)
              .flatMap(([slot, w]) => {
                const value = w.value === undefined ? '' : ` · ${primaryMetric} ${w.value.toFixed(4)}`;
                return fit(`  worker ${slot + 1}: ${label(w.run)} · epoch ${w.epoch}/${w.epochs}${value}`, '      ');
              }),
          ];
    const up = blockHeight > 0 ? `\x1b[${blockHeight}A` : '';
    const lines = [...(log ? fit(log, '    ') : []), ...block];
    // Clear from the block's first line down: a shorter block (or none, at the end) leaves nothing stale.
    term.stderr(`${up}\r\x1b[J${lines.map((l) => `${l}\n`).join('')}`);
    blockHeight = block.length;
  };

  return {
    startRound(n: number) {
      round = n;
    },
    /**
     * Interrupted: the live block (workers and their epochs, which will not finish) gives way to one
     * line saying how far the sweep got; nothing is drawn after it.
     */
    stop() {
      if (stopped) return;
      stopped = true;
      const up = term.isTTY && blockHeight > 0 ? `\x1b[${blockHeight}A\r\x1b[J` : '';
      const interrupted = workers.size;
      const notStarted = Math.max(0, total - done - interrupted);
      const parts = [
        `${done} of ${total} runs done`,
        ...(interrupted ? [`${interrupted} interrupted (left out)`] : []),
        ...(notStarted ? [`${notStarted} not started`] : []),
      ];
      const line = total > 0 ? `${fit(`stopped: ${parts.join(', ')}`, '  ').join('\n')}\n` : '';
      if (up || line) term.stderr(`${up}${line}`);
      blockHeight = 0;
    },
    onPlan(counts, toTrain) {
      // Adaptive sweeps plan again each round: the count goes on from the runs already done.
      total = done + counts.toTrain;
      pending = [...toTrain];
      if (counts.cached > 0) term.stderr(`${counts.cached} of ${counts.selected} runs already done (cached; --force retrains them)\n`);
    },
    onStart(run, worker) {
      workers.set(worker, { run, epoch: 0, epochs: run.config.train.epochs, started: now() });
      pending = pending.filter((r) => r.id !== run.id);
      parallel = Math.max(parallel, worker + 1);
      draw(undefined, true);
    },
    onEpoch(run: PlannedRun, row: HistoryRow, epochs: number, worker: number) {
      const value = row[primaryMetric];
      const started = workers.get(worker)?.started ?? now();
      workers.set(worker, { run, epoch: row.epoch ?? 0, epochs, started, value: typeof value === 'number' ? value : undefined });
      draw();
    },
    onFinish(run: PlannedRun, record: RunRecord) {
      done++;
      for (const [slot, w] of workers) {
        if (w.run.id !== run.id) continue;
        estimate.observe(sizeOf(run), { wallMs: now() - w.started, trainMs: record.timings.train_ms });
        workers.delete(slot);
      }
      const status = record.status === 'ok' ? 'ok' : `${record.status}${record.message ? ` (${record.message})` : ''}`;
      draw(`[${done}/${total}] ${status} ${label(run)} · ${record.epochs_completed} epochs · ${(record.timings.train_ms / 1000).toFixed(1)}s`, true);
    },
    onWaiting(run, { lock, path, staleMs }) {
      const ago = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s ago`;
      const since = lock.since ? `locked ${ago(now() - Date.parse(lock.since))}, ` : '';
      term.stderr(
        `${label(run)} is being trained by process ${lock.owner.pid} on ${lock.owner.host} (${since}refreshed ${ago(now() - lock.refreshedMs)}); waiting. ` +
          `A lock not refreshed for ${Math.round(staleMs / 1000)} s is taken over; if that process is gone, delete ${relativeTo(term.cwd, path)} to go on now\n`,
      );
    },
  };
  // A run's size for the estimate: its parameters, and its steps (batches per epoch × epochs).
  function sizeOf(run: PlannedRun): RunSize {
    const params = inferShapes(run.config.model.input_shape, run.config.model.layers).parameters;
    const info = builtinInfo(run.config.data);
    const samples = info ? trainingSamples(run.config.data, info) : (run.config.data.samples ?? 1000);
    return { params, steps: Math.ceil(Math.max(1, samples) / run.config.train.batch_size) * run.config.train.epochs };
  }
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
