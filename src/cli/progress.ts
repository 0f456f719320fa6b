import type { RunEvents } from '../pipeline/run-experiment.js';
import type { RunRecord } from '../results/run-files.js';
import { variantLabel, type PlannedRun } from '../sweep/expand.js';
import type { HistoryRow } from '../train/train-run.js';
import type { Terminal } from './terminal.js';

/**
 * Progress on stderr: on a TTY one line rewritten per epoch (run, epoch, latest metric, ETA);
 * otherwise one plain line per finished run, which reads well in CI logs.
 */
export function progressReporter(term: Terminal, primaryMetric: string, now: () => number = () => Date.now()): RunEvents {
  const started = now();
  let current = '';
  const label = (run: PlannedRun) => `${variantLabel(run.config.factors)} seed=${run.config.seed}`;
  const clock = (ms: number) => {
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };
  let doneRuns = 0;
  let total = 0;
  const eta = () => (doneRuns > 0 ? ` · ETA ${clock(((now() - started) / doneRuns) * (total - doneRuns))}` : '');
  const write = (line: string) => {
    const clipped = line.slice(0, term.columns - 1);
    term.stderr(`\r${clipped}${' '.repeat(Math.max(0, current.length - clipped.length))}`);
    current = clipped;
  };
  return {
    onRunStart(run, index, count) {
      total = count;
      if (term.isTTY) write(`[${index + 1}/${count}] ${label(run)} · starting${eta()}`);
    },
    onEpoch(run: PlannedRun, row: HistoryRow, epochs: number) {
      if (!term.isTTY) return;
      const value = row[primaryMetric];
      const shown = typeof value === 'number' ? ` · ${primaryMetric} ${value.toFixed(4)}` : '';
      write(`[${doneRuns + 1}/${total}] ${label(run)} · epoch ${row.epoch}/${epochs}${shown}${eta()}`);
    },
    onRunEnd(run: PlannedRun, record: RunRecord, index: number, count: number) {
      doneRuns = index + 1;
      const seconds = (record.timings.train_ms / 1000).toFixed(1);
      const status = record.status === 'ok' ? 'ok' : `${record.status}${record.message ? ` (${record.message})` : ''}`;
      const line = `[${index + 1}/${count}] ${status} ${label(run)} · ${record.epochs_completed} epochs · ${seconds}s`;
      if (term.isTTY) {
        write(line);
        term.stderr('\n');
        current = '';
      } else term.stderr(line + '\n');
    },
  };
}
