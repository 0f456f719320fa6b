import type { SweepEvents } from '../exec/run-sweep.js';
import { inferShapes } from '../model/shapes.js';
import type { RunRecord } from '../results/run-files.js';
import { variantLabel, type PlannedRun } from '../sweep/expand.js';
import type { HistoryRow } from '../train/train-run.js';
import type { Terminal } from './terminal.js';

/**
 * Progress on stderr. On a TTY: finished runs scroll above a live block (runs done / total, ETA,
 * and each worker's run and epoch). Otherwise: one plain line per finished run, for CI logs.
 */
export function progressReporter(term: Terminal, primaryMetric: string, now: () => number = () => Date.now()): SweepEvents {
  const started = now();
  const workers = new Map<number, { run: PlannedRun; epoch: number; epochs: number; value?: number }>();
  let total = 0;
  let done = 0;
  let workTotal = 0;
  let workDone = 0;
  let blockHeight = 0;
  let lastDraw = 0;

  const label = (run: PlannedRun) => `${variantLabel(run.config.factors)} seed=${run.config.seed}`;
  const eta = () => {
    const inFlight = [...workers.values()].reduce((s, w) => s + (cost(w.run) * w.epoch) / w.epochs, 0);
    const progress = workDone + inFlight;
    if (progress <= 0) return '';
    return ` · ETA ${clock(((now() - started) * (workTotal - progress)) / progress)}`;
  };
  const draw = (log?: string, force = false) => {
    if (!term.isTTY) {
      if (log) term.stderr(log + '\n');
      return;
    }
    if (!force && !log && now() - lastDraw < 100) return;
    lastDraw = now();
    const width = term.columns - 1;
    const block = [
      `[${done}/${total} runs]${eta()}`,
      ...[...workers.entries()].sort(([a], [b]) => a - b).map(([slot, w]) => {
        const value = w.value === undefined ? '' : ` · ${primaryMetric} ${w.value.toFixed(4)}`;
        return `  worker ${slot + 1}: ${label(w.run)} · epoch ${w.epoch}/${w.epochs}${value}`;
      }),
    ].map((l) => l.slice(0, width));
    const up = blockHeight > 0 ? `\x1b[${blockHeight}A` : '';
    const lines = [...(log ? [log.slice(0, width)] : []), ...block];
    term.stderr(`${up}\r${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    blockHeight = block.length;
  };

  return {
    onPlan(counts, toTrain) {
      total = counts.toTrain;
      workTotal = toTrain.reduce((sum, run) => sum + cost(run), 0);
      if (counts.cached > 0) term.stderr(`${counts.cached} of ${counts.selected} runs already done (cached; --force retrains them)\n`);
    },
    onStart(run, worker) {
      workers.set(worker, { run, epoch: 0, epochs: run.config.train.epochs });
      draw(undefined, true);
    },
    onEpoch(run: PlannedRun, row: HistoryRow, epochs: number, worker: number) {
      const value = row[primaryMetric];
      workers.set(worker, { run, epoch: row.epoch ?? 0, epochs, value: typeof value === 'number' ? value : undefined });
      draw();
    },
    onFinish(run: PlannedRun, record: RunRecord) {
      done++;
      workDone += cost(run);
      for (const [slot, w] of workers) if (w.run.id === run.id) workers.delete(slot);
      const status = record.status === 'ok' ? 'ok' : `${record.status}${record.message ? ` (${record.message})` : ''}`;
      draw(`[${done}/${total}] ${status} ${label(run)} · ${record.epochs_completed} epochs · ${(record.timings.train_ms / 1000).toFixed(1)}s`, true);
    },
    onWaiting(run, owner) {
      term.stderr(`${label(run)} is being trained by process ${owner.pid} on ${owner.host}; waiting for it\n`);
    },
  };
  // Relative cost of a run, for the ETA: parameters × samples seen. Exact enough to weigh H=1024
  // against H=5; the absolute scale cancels out.
  function cost(run: PlannedRun): number {
    const params = inferShapes(run.config.model.input_shape, run.config.model.layers).parameters;
    return (params + 10_000) * run.config.train.epochs;
  }
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
