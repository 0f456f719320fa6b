import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { validateSpecText } from '../../src/spec/validate.js';
import { expandSweep } from '../../src/sweep/expand.js';
import { fixture } from './run-cli.js';

function tty(): { term: Terminal; text: () => string } {
  let out = '';
  const term = { stderr: (t: string) => (out += t), stdout: () => {}, isTTY: true, columns: 80, cwd: '/' } as unknown as Terminal;
  return { term, text: () => out };
}

/** What a terminal shows after the escapes: cursor-up and clear-to-end erase the lines they pass over. */
function screen(raw: string): string[] {
  const lines: string[] = [];
  for (const part of raw.split(/(\u001b\[\d+A\r\u001b\[J)/)) {
    const up = /^\u001b\[(\d+)A/.exec(part);
    if (up) lines.splice(lines.length - Number(up[1]));
    else lines.push(...part.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
  }
  return lines;
}

describe('progress on a terminal', () => {
  const spec = validateSpecText(readFileSync(fixture('specs', 'tiny.yaml'), 'utf8'), fixture('specs', 'tiny.yaml')).value!;
  const runs = expandSweep(spec).runs;

  it('on an interrupt gives the live block up for one line saying how far the sweep got, and draws nothing after', () => {
    const { term, text } = tty();
    const progress = progressReporter(term, 'val_accuracy', { now: () => 0 });
    progress.onPlan!({ total: runs.length, selected: runs.length, cached: 0, toTrain: runs.length }, runs);
    progress.onStart!(runs[0]!, 0);
    progress.onEpoch!(runs[0]!, { epoch: 1, val_accuracy: 0.5 }, 2, 0);
    expect(screen(text()).some((l) => l.startsWith('  worker 1: '))).toBe(true);
    progress.stop();
    progress.onEpoch!(runs[0]!, { epoch: 2, val_accuracy: 0.6 }, 2, 0);
    expect(screen(text())).toEqual([`stopped: 0 of ${runs.length} runs done, 1 interrupted (left out), ${runs.length - 1} not started`]);
  });
});
