import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, ROOT, tempDir } from './run-cli.js';

describe('nnlab doctor', () => {
  it('finds the collapsed output on the sigmoid variants and not on the linear ones', async () => {
    const cwd = tempDir();
    // The seed question's sweep cut to one seed: Adam, batch 1, the asker's unscaled target.
    const sets = [
      'sweep.seeds=[1]',
      'sweep.grid.batch=[1]',
      'sweep.grid.target=[none]',
      'sweep.grid.optimizer=[{adam: {learning_rate: 0.001}}]',
      'train.epochs=10',
    ];
    const spec = join(ROOT, 'experiments', 'sigmoid-regression.yaml');
    const run = await runInProcess(['run', spec, '--quiet', ...sets.flatMap((s) => ['--set', s]), '--workers', '1'], cwd);
    expect(run.code).toBe(0);
    const r = await runInProcess(['doctor', join(cwd, 'results', 'sigmoid-regression'), '--json', '--spec', spec], cwd);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const byOutput = (o: string) => doc.variants.find((v: { label: string }) => v.label.startsWith(`output=${o} `));
    expect(byOutput('sigmoid').findings.map((f: { code: string }) => f.code)).toContain('collapsed-output');
    // The output activation is the grid factor ${output}: the fix narrows the grid instead of
    // overwriting the variable (which would make every variant the same).
    expect(byOutput('sigmoid').findings.find((f: { code: string }) => f.code === 'collapsed-output').sets).toEqual(['sweep.grid.output=[linear]']);
    expect(byOutput('linear').findings.map((f: { code: string }) => f.code)).not.toContain('collapsed-output');
    // The HTML report carries the same diagnosis.
    expect(readFileSync(join(cwd, 'results', 'sigmoid-regression', 'report.html'), 'utf8')).toMatch(
      /<h2>Diagnosis<\/h2>[\s\S]*✗ collapsed-output[\s\S]*nnlab run experiments\/sigmoid-regression\.yaml --set 'sweep\.grid\.output=\[linear\]'/,
    );
    // Without --spec the suggestion is fitted all the same: summary.json keeps the spec's ${factor} fields.
    // This folder has no experiments/sigmoid-regression.yaml, so the command names a placeholder for it.
    const text = (await runInProcess(['doctor', join(cwd, 'results', 'sigmoid-regression')], cwd)).stdout;
    expect(text).toContain("nnlab run YOUR-SPEC.yaml --set 'sweep.grid.output=[linear]'");
    // Every suggestion made for the spec validates against it.
    for (const set of new Set(doc.variants.flatMap((v: { findings: Array<{ sets?: string[] }> }) => v.findings.flatMap((f) => f.sets ?? [])))) {
      expect((await runInProcess(['validate', spec, '--set', set as string], cwd)).code, set as string).toBe(0);
    }
  });

  it("reproduces accuracy-drops' collapse below chance with Keras' tail split, and names its cause", async () => {
    const cwd = tempDir();
    const spec = join(ROOT, 'experiments', 'accuracy-drops.yaml');
    const sets = ['sweep.seeds=[1,2,3]', 'sweep.grid.lr=[0.001]', 'sweep.grid.dropout=[true]'].flatMap((s) => ['--set', s]);
    const run = await runInProcess(['run', spec, ...sets, '--workers', '1'], cwd);
    expect(run.code).toBe(0);
    // The run's own printout: the tail split's validation accuracy ends below chance, the stratified one's does not.
    expect(run.stdout).toMatch(/│ tail +│ 0\.001 │ true +│ +3\/3 │ 0\.0\d+ ±/);
    expect(run.stdout).toMatch(/│ stratified +│ 0\.001 │ true +│ +3\/3 │ 0\.[5-9]\d+ ±/);
    const results = join(cwd, 'results', 'accuracy-drops');
    const doc = JSON.parse((await runInProcess(['doctor', results, '--json'], cwd)).stdout);
    const codes = (split: string) =>
      doc.variants.find((v: { label: string }) => v.label.startsWith(`split=${split} `)).findings.map((f: { code: string }) => f.code);
    expect(codes('tail')).toContain('validation-classes-differ');
    expect(codes('tail')).not.toContain('collapsed-output');
    expect(codes('stratified')).not.toContain('validation-classes-differ');
    const text = (await runInProcess(['doctor', results], cwd)).stdout;
    // The evidence is one run's, named by its seed: the variant's mean in the table may differ.
    expect(text).toMatch(
      /seen: seed \d+: validation holds 0 % class 0, 100 % class 1; training 62\.5 % class 0, 37\.5 % class\s+1;\s+val_accuracy (peaked at [\d.]+ \(epoch \d+\) and )?ended at 0\.\d+, below\s+chance \(0\.500\)/,
    );
    expect(text).toContain("nnlab run YOUR-SPEC.yaml --set 'sweep.grid.split=[stratified]'");
    // With the spec, the rerun keeps the seeds these runs were trained with (the grid's narrowing is the user's to repeat).
    expect((await runInProcess(['doctor', results, '--spec', spec], cwd, { columns: 300 })).stdout).toContain(
      `nnlab run ${spec} --set 'sweep.seeds=[1,2,3]' --set 'sweep.grid.split=[stratified]'`,
    );
  });

  it('finds the overfitting onset in overfitting-cnn.yaml at the epoch of the lowest validation loss', async () => {
    const cwd = tempDir();
    const spec = join(ROOT, 'experiments', 'overfitting-cnn.yaml');
    // The unregularized variant, seed 2: the CNN that memorizes its 500 digits, val_loss rising by a
    // third after its best epoch (seed 1 rises ~15 %, under the doctor's 30 % threshold).
    const sets = ['sweep.seeds=[2]', 'sweep.grid.regularize=[false]', 'sweep.grid.l2=[0]', 'sweep.grid.early_stopping=[false]'].flatMap((s) => ['--set', s]);
    const run = await runInProcess(['run', spec, ...sets, '--workers', '1'], cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/nnlab doctor found 1 problem in 1 of 1 variants \(evidence, causes and fixes: nnlab doctor\s+results\/overfitting-cnn\)/);
    // The answer names the cause and when it starts, though this run compares nothing.
    const answer = run.stdout.replace(/\n +/g, ' ');
    expect(answer).toMatch(/Nothing was compared: the runs here do not differ in regularize, l2 or early_stopping\./);
    expect(answer).toMatch(
      /nnlab doctor finds: in every variant, validation loss rises while training loss falls after epoch \d+, where val_loss is lowest \(mean over seeds\) \(overfitting, 1\/1 runs\)\./,
    );
    const dir = join(cwd, 'results', 'overfitting-cnn');
    const doctor = await runInProcess(['doctor', dir, '--json', '--spec', spec], cwd);
    expect(doctor.code).toBe(1);
    const finding = JSON.parse(doctor.stdout).variants[0].findings.find((f: { code: string }) => f.code === 'overfitting');
    const runId = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).variants[0].run_ids[0];
    const rows = JSON.parse(readFileSync(join(dir, 'runs', runId, 'history.json'), 'utf8')).rows as Array<{ epoch: number; val_loss: number }>;
    const best = rows.reduce((b, r) => (r.val_loss < b.val_loss ? r : b));
    expect(best.epoch).toBeLessThan(30);
    expect(finding.seen).toMatch(new RegExp(`^val_loss was lowest at epoch ${best.epoch} \\(`));
    // The spec has early stopping, switched off in this variant by the factor ${early_stopping}: the fix is to switch it on.
    expect(finding.sets).toEqual(['sweep.grid.early_stopping=[true]']);
    // The suggested fix works: the run stops early and keeps weights far better than where it ended
    // (with patience 5 on a noisy curve it may stop at an earlier dip than the very best epoch).
    const fixed = await runInProcess(['run', spec, ...sets, '--json', '--out', 'fixed', '--set', finding.sets[0], '--workers', '1'], cwd);
    const fixedRun = JSON.parse(fixed.stdout).runs[0];
    expect(fixedRun.final.epoch).toBeLessThan(rows.length);
    const fixedDir = join(cwd, 'fixed');
    const fixedRows = JSON.parse(readFileSync(join(fixedDir, 'runs', fixedRun.id, 'history.json'), 'utf8')).rows as Array<{ epoch: number; val_loss: number }>;
    const record = JSON.parse(readFileSync(join(fixedDir, 'runs', fixedRun.id, 'run.json'), 'utf8'));
    expect(record.restored_best).toBe(true);
    // The doctor replayed early stopping on the history; the real run stops and restores exactly there.
    const [, stopped, restored] = /would have stopped at epoch (\d+) and kept epoch (\d+)/.exec(finding.why)!;
    expect([record.stopped_epoch, record.best_epoch]).toEqual([Number(stopped), Number(restored)]);
    const kept = fixedRows.find((r) => r.epoch === record.best_epoch)!.val_loss;
    expect(kept).toBeLessThan(best.val_loss * 1.15);
    expect(kept).toBeLessThan(rows[rows.length - 1]!.val_loss * 0.9);
  });

  it('exits 0 on healthy runs', async () => {
    const cwd = tempDir();
    expect((await runInProcess(['run', fixture('specs', 'small-sweep.yaml'), '--quiet', '--workers', '1'], cwd)).code).toBe(0);
    const r = await runInProcess(['doctor', join(cwd, 'results', 'small-sweep')], cwd);
    // Three epochs are too few to judge trends: a note says so, and nothing is a problem.
    expect(r.stdout).toMatch(/^small-sweep: 0 problems and 2 notes in 2 of 2 variants\.$/m);
    expect(r.stdout).toContain('every variant (2)\n  i too-few-epochs (6/6 runs)'); // said once, not per variant
    expect(readFileSync(join(cwd, 'results', 'small-sweep', 'report.html'), 'utf8')).toMatch(/<h2>Diagnosis<\/h2>[\s\S]*i too-few-epochs/);
    expect(r.code).toBe(0);
    const five = await runInProcess(
      ['run', fixture('specs', 'small-sweep.yaml'), '--quiet', '--set', 'train.epochs=5', '--set', 'sweep.grid.hidden=[64]', '--out', 'five', '--workers', '1'],
      cwd,
    );
    expect(five.code).toBe(0);
    expect((await runInProcess(['doctor', 'five'], cwd)).stdout).toMatch(/^small-sweep: no training pathologies found in 3 runs\.$/m);
  });

  it("keeps the runs' own overrides in the rerun it suggests, the fix replacing the one it changes", async () => {
    const cwd = tempDir();
    const spec = fixture('specs', 'small-sweep.yaml');
    const sets = ['sweep.seeds=[1]', 'data.samples=600', 'sweep.grid.hidden=[16]'];
    expect((await runInProcess(['run', spec, ...sets, '--quiet', '--workers', '1'], cwd)).code).toBe(0);
    const r = await runInProcess(['doctor', join(cwd, 'results', 'small-sweep'), '--spec', spec], cwd);
    const command = r.stdout
      .slice(r.stdout.indexOf(`nnlab run ${spec}`))
      .split('\n\n')[0]!
      .replace(/ \\\n +/g, ' ');
    expect(command).toBe(`nnlab run ${spec} --set 'sweep.seeds=[1]' --set 'data.samples=600' --set 'train.epochs=5'`);
  });
});
