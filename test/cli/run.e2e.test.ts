import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, readTree, runCli, tempDir } from './run-cli.js';

const tiny = fixture('specs', 'tiny.yaml');
const deterministicFiles = (p: string) => !p.endsWith('run.json');

describe('nnlab run', () => {
  const cwd = tempDir();
  // The built CLI in a subprocess, as a user starts it: one worker per core of the machine, no colour under NO_COLOR.
  const first = runCli(['run', tiny], cwd, {}, { defaultWorkers: true });

  it('trains the sweep, exits 0, and says which backend it used', () => {
    expect(first.stderr).toContain('tiny: 4 runs (2 variants × 2 seeds) → results/tiny');
    expect(first.stderr).toMatch(/^backend: (wasm|tensorflow|cpu)\b.*; 2 workers$/m);
    expect(first.code).toBe(0);
  });

  it('prints a comparison table, the charts of what the verdicts are about, and ends with the answer', () => {
    expect(first.stdout).toMatch(/hidden\s*│\s*dropout\s*│\s*runs/);
    // Each column a verdict is about: the compared level minus the baseline, per epoch.
    for (const column of ['val_accuracy', 'val_loss', 'loss']) expect(first.stdout).toContain(`${column}: dropout=true − dropout=false, per epoch`);
    expect(first.stdout).not.toContain('val_top_class_share'); // no finding rests on it
    expect(first.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
    const answer = first.stdout.slice(first.stdout.lastIndexOf('\nAnswer\n'));
    expect(answer).toMatch(/^\nAnswer\n• Training — dropout=true vs false: /);
    expect(answer).toMatch(/• Validation — dropout=true vs false: /);
    expect(first.stdout.trimEnd().endsWith(answer.trimEnd())).toBe(true);
  });

  it('writes the results layout', () => {
    const out = join(cwd, 'results', 'tiny');
    const tree = readTree(out);
    const runs = [...tree.keys()].filter((p) => p.endsWith('run.json'));
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      const dir = run.replace(/run\.json$/, '');
      for (const f of ['config.json', 'history.csv', 'history.json', 'layers.csv']) expect(tree.has(dir + f)).toBe(true);
      const record = JSON.parse(tree.get(run)!);
      expect(record).toMatchObject({ status: 'ok', epochs_completed: 2, format_version: 1 });
    }
    const csv = tree.get('summary.csv')!.split('\n');
    expect(csv[0]).toMatch(/^hidden,dropout,runs,ok,diverged,failed,missing,loss_final_mean,/);
    expect(csv).toHaveLength(4); // header, two variants, trailing newline
    const history = [...tree.entries()].find(([p]) => p.endsWith('history.csv'))![1].split('\n');
    expect(history[0]).toBe('epoch,loss,accuracy,val_loss,val_accuracy,val_top_class_share,lr');
    expect(history[1]).toMatch(/^1(,[\d.]+){6}$/);
    const layers = [...tree.entries()]
      .find(([p]) => p.endsWith('layers.csv'))![1]
      .trim()
      .split('\n');
    expect(layers[0]).toBe('epoch,layer,kind,signal,value');
    // Both epochs; the hidden ReLU layer (1) and the softmax output (3), by their index in model.layers.
    const keys = new Set(layers.slice(1).map((l) => l.split(',').slice(0, 4).join(',')));
    for (const epoch of [1, 2]) {
      for (const signal of ['grad_norm', 'weight_norm', 'update_ratio', 'preact_mean', 'preact_std', 'act_mean', 'act_std', 'dead_share'])
        expect(keys, `${epoch} ${signal}`).toContain(`${epoch},1,dense,${signal}`);
      for (const signal of ['grad_norm', 'weight_norm', 'update_ratio', 'act_mean', 'act_std']) expect(keys).toContain(`${epoch},3,dense,${signal}`);
    }
  });

  it('keeps times, hosts and absolute paths out of the deterministic files', () => {
    const tree = readTree(join(cwd, 'results', 'tiny'), deterministicFiles);
    for (const [path, text] of tree) {
      expect(text, path).not.toContain(cwd);
      expect(text, path).not.toMatch(/20\d\d-\d\d-\d\dT/);
    }
  });

  it('gives byte-identical config, history and summary files when run again', async () => {
    const again = tempDir();
    expect((await runInProcess(['run', tiny, '--quiet', '--workers', '1'], again)).code).toBe(0);
    expect(readTree(join(again, 'results', 'tiny'), deterministicFiles)).toEqual(readTree(join(cwd, 'results', 'tiny'), deterministicFiles));
  });

  it('--json prints exactly one JSON document on stdout', async () => {
    const r = await runInProcess(['run', tiny, '--json', '--out', 'json-out', '--workers', '1'], cwd);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs).toHaveLength(4);
    expect(doc.runs[0]).toMatchObject({ status: 'ok', seed: 1 });
    expect(doc.summary).toHaveLength(2);
    // The answer is in --json and summary.json, the same sentences the terminal ends with.
    const saved = JSON.parse(readFileSync(join(cwd, 'json-out', 'summary.json'), 'utf8'));
    expect(doc.answer.length).toBeGreaterThan(0);
    expect(saved.answer).toEqual(doc.answer);
    expect(first.stdout.replace(/\n {2}/g, ' ')).toContain(`• ${doc.answer[0]}`);
  });

  it('--set changes the run, e.g. the epochs', async () => {
    const r = await runInProcess(['run', tiny, '--quiet', '--set', 'train.epochs=1', '--set', 'sweep.seeds=[5]', '--out', 'one-epoch', '--workers', '1'], cwd);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'one-epoch', 'summary.json'), 'utf8'));
    expect(summary.seeds).toEqual([5]);
    expect(summary.variants[0].metrics.val_loss.best_epoch_mean).toBe(1);
  });
});

describe('nnlab run and validate with bad input', () => {
  const cwd = tempDir();

  it('prints every spec mistake located, once, and exits 2 without a stack trace', async () => {
    const r = await runInProcess(['run', fixture('specs', 'three-mistakes.yaml'), '--workers', '1'], cwd);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/three-mistakes\.yaml:8:7 model\.layers\[1\]\.dense_layer: unknown layer type "dense_layer"/),
      expect.stringMatching(/three-mistakes\.yaml:13:15 train\.batch_size: expected a positive integer, got -3$/),
      expect.stringMatching(/three-mistakes\.yaml:14:3 train\.epoch: unknown key "epoch" \(did you mean "epochs"\?\)$/),
      expect.stringMatching(/^error: .*three-mistakes\.yaml: 3 errors; nothing was run\.$/),
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });

  it.each([
    { name: 'a missing spec file', args: ['run', 'nope.yaml'], message: /^error: Reading spec nope\.yaml failed: no such file\.$/m },
    {
      name: 'a bad --set',
      args: ['validate', 'SPEC', '--set', 'train.epochs=0'],
      message: /^--set train\.epochs=0 train\.epochs: expected a positive integer, got 0$/m,
    },
    { name: 'an unknown backend', args: ['run', 'SPEC', '--backend', 'gpu'], message: /argument 'gpu' is invalid/ },
    { name: 'an unknown command', args: ['trian'], message: /unknown command 'trian'/ },
  ])('exits 2 on $name', async ({ args, message }) => {
    const r = await runInProcess(
      args.map((a) => (a === 'SPEC' ? fixture('specs', 'tiny.yaml') : a)),
      cwd,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to write another experiment, or another results format, into a results directory (exit 2, nothing changed)', async () => {
    const dir = tempDir();
    const oneSeed = ['--set', 'sweep.seeds=[1]'];
    expect((await runInProcess(['run', tiny, '--quiet', ...oneSeed, '--workers', '1'], dir)).code).toBe(0);
    const out = join(dir, 'results', 'tiny');
    const before = readTree(out);
    const other = await runInProcess(['run', tiny, ...oneSeed, '--set', 'name=other', '--out', out, '--workers', '1'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /^error: Writing results to .*results\/tiny failed: it holds the results of experiment "tiny", not "other"; nothing was changed\. Pass another --out or move the old results away\.$/m,
    );
    expect(readTree(out)).toEqual(before);
    const summary = join(out, 'summary.json');
    writeFileSync(summary, readFileSync(summary, 'utf8').replace('"format_version": 1', '"format_version": 99'));
    const newer = await runInProcess(['run', tiny, ...oneSeed, '--workers', '1'], dir);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toMatch(/summary\.json has format_version 99, not 1; nothing was changed/);
    expect(readFileSync(summary, 'utf8')).toContain('"format_version": 99');
  });

  it('validate lists the expanded runs and the varying factors', async () => {
    const r = await runInProcess(['validate', fixture('specs', 'tiny.yaml'), '--set', 'sweep.grid.hidden=[4,8,16]'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid. 12 runs = 6 variants × 2 seeds (1, 2)');
    expect(r.stdout).toContain('varying: hidden ∈ {4, 8, 16}, dropout ∈ {false, true}');
    expect(r.stdout.match(/^  hidden-\d+_dropout-(true|false)_seed-\d-[0-9a-f]{10}$/gm)).toHaveLength(12);
  });
});

describe('nnlab run: a conv net with augmentation and a checkpoint', () => {
  it('saves the best epoch as tfjs files, byte-identical on a second run', async () => {
    const spec = fixture('specs', 'tiny-cnn.yaml');
    const [a, b] = [tempDir(), tempDir()];
    for (const cwd of [a, b]) expect((await runInProcess(['run', spec, '--quiet', '--workers', '1'], cwd)).code).toBe(0);
    const runsDir = (cwd: string) => join(cwd, 'results', 'tiny-cnn', 'runs');
    const [id] = readdirSync(runsDir(a));
    const record = JSON.parse(readFileSync(join(runsDir(a), id!, 'run.json'), 'utf8'));
    const rows = JSON.parse(readFileSync(join(runsDir(a), id!, 'history.json'), 'utf8')).rows as Array<{ epoch: number; val_accuracy: number }>;
    const best = rows.reduce((x, r) => (r.val_accuracy > x.val_accuracy ? r : x));
    expect(record.checkpoint_epoch).toBe(best.epoch);
    const model = JSON.parse(readFileSync(join(runsDir(a), id!, 'checkpoint', 'model.json'), 'utf8'));
    expect(model.weightsManifest[0].paths).toEqual(['weights.bin']);
    const bytes = (cwd: string, file: string) => readFileSync(join(runsDir(cwd), id!, file));
    // conv kernel + bias, 4 batch-norm vectors, dense kernel + bias, as float32.
    expect(bytes(a, 'checkpoint/weights.bin').length).toBe(4 * (3 * 3 * 4 + 4 + 4 * 4 + 6 * 6 * 4 * 10 + 10));
    for (const file of ['checkpoint/weights.bin', 'checkpoint/model.json', 'history.json', 'layers.csv'])
      expect(bytes(b, file).equals(bytes(a, file)), file).toBe(true);
    // Layers trained through tfjs-layers record their signals too (the conv layer 0, batch norm 1, the dense output 4).
    const layers = bytes(a, 'layers.csv').toString();
    expect(layers).toMatch(/^1,0,conv2d,dead_share,/m);
    expect(layers).toMatch(/^1,1,batch_norm,bn_mean_gap,/m);
    expect(layers).toMatch(/^3,4,dense,update_ratio,/m);
  });
});

describe('nnlab run with data.test_split', () => {
  it('evaluates the held-out split once per run, reports it, and refuses a damaged test.json', async () => {
    const cwd = tempDir();
    const args = ['run', tiny, '--set', 'data.test_split=0.2', '--set', 'sweep.seeds=[1]', '--workers', '1'];
    const r = await runInProcess(args, cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/test_accuracy\s*│\n.*\(held out\)/);
    const out = join(cwd, 'results', 'tiny');
    const ids = readdirSync(join(out, 'runs'));
    expect(ids).toHaveLength(2);
    const test = JSON.parse(readFileSync(join(out, 'runs', ids[0]!, 'test.json'), 'utf8'));
    expect(Object.keys(test.metrics).sort()).toEqual(['test_accuracy', 'test_loss']);
    expect(test.metrics.test_accuracy).toBeGreaterThan(0.1);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0]).toContain('test_accuracy_mean,test_accuracy_std');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<th>test_accuracy (held out)</th>');
    const again = tempDir();
    expect((await runInProcess(args, again)).code).toBe(0);
    expect(readFileSync(join(again, 'results', 'tiny', 'runs', ids[0]!, 'test.json'), 'utf8')).toBe(
      readFileSync(join(out, 'runs', ids[0]!, 'test.json'), 'utf8'),
    );
    writeFileSync(join(out, 'runs', ids[0]!, 'test.json'), '{"format_version": 1, "metrics": [1]}');
    const report = await runInProcess(['report', out], cwd);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`Reading results ${join(out, 'runs', ids[0]!, 'test.json')} failed: its metrics are not names and numbers`);
  });
});
