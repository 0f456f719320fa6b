import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT, runCli, tempDir } from '../cli/run-cli.js';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// CI installs Debian's chromium: there the browser test must run, not be skipped.
if (process.env.NNLAB_EXPECT_BROWSER === '1' && !available) throw new Error(`chromium is required here but ${CHROMIUM} does not exist`);

describe.runIf(available)('HTML report in a real browser (headless Chromium)', () => {
  it('heads the page with the answer and its charts; draws every metric per panel (or on one range), with hover values, legend toggles, runs, smoothing and a log scale; fetches nothing, logs no errors', async () => {
    const cwd = tempDir();
    expect(runCli(['run', fixture('specs', 'tiny.yaml'), '--quiet', '--set', 'sweep.grid.hidden=[4,8]'], cwd).code).toBe(0);
    const html = join(cwd, 'results', 'tiny', 'report.html');
    const copy = join(cwd, 'copy.html');
    expect(runCli(['report', join(cwd, 'results', 'tiny'), '--html', copy], cwd).code).toBe(0);
    expect(existsSync(html) && existsSync(copy)).toBe(true);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`network request to ${r.url()}`));
      await page.goto(`file://${copy}`);
      expect(await page.title()).toBe('tiny — nnlab report');
      expect(await page.locator('.question').textContent()).toBe('Does the tiny sweep run end to end?');
      // The answer first, then the charts it rests on (full width), then the verdicts.
      const answer = await page.locator('.answer li').allTextContents();
      expect(answer.length).toBeGreaterThan(0);
      expect(answer.some((a) => /dropout=true vs false/.test(a))).toBe(true);
      const order = await page.evaluate(() =>
        ['.answer', '.evidence', 'details.block'].map((s) =>
          [...document.querySelectorAll('main > *')].indexOf(document.querySelector(s)!.closest('main > *')!),
        ),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
      type Evidence = { series: Array<{ label: string }>; width: number };
      const evidence = await page.evaluate(() =>
        (window as unknown as { nnlabEvidence: Evidence[] }).nnlabEvidence.map((c) => ({ labels: c.series.map((s) => s.label), width: c.width })),
      );
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence[0]!.labels[1]).toMatch(/^dropout=true − dropout=false, mean over 2 seeds$/);
      expect(evidence[0]!.labels).toContain('no difference');
      expect(evidence[0]!.width).toBeGreaterThan(600);
      type Chart = {
        series: Array<{ label: string; show: boolean }>;
        scales: { y: { min: number; max: number; distr: number } };
        data: number[][];
        nnlab: { metric: string; roles: string[] };
      };
      const charts = () =>
        page.evaluate(() =>
          (window as unknown as { nnlabCharts: Chart[] }).nnlabCharts.map((c) => ({
            metric: c.nnlab.metric,
            roles: c.nnlab.roles,
            labels: c.series.map((s) => s.label),
            show: c.series.map((s) => s.show),
            y: [c.scales.y.min, c.scales.y.max],
            distr: c.scales.y.distr,
            first: c.data[1],
          })),
        );
      // 5 history columns (loss, accuracy, their val_ twins, val_top_class_share) × 2 panels
      // (hidden=4, hidden=8), each with a mean line per dropout level.
      expect(await page.locator('.chart canvas').count()).toBe(10);
      let state = await charts();
      expect(state).toHaveLength(10);
      expect(state[0]!.metric).toBe('val_accuracy');
      expect(state[0]!.labels.filter((_, i) => state[0]!.roles[i - 1] === 'mean')).toEqual(['hidden=8 dropout=false', 'hidden=8 dropout=true']);
      // Each panel has its own y range, so a small effect in one is not flattened by another's
      // scale; the toggle puts every panel of a metric on one.
      const ranges = (s: typeof state, metric: string) => new Set(s.filter((c) => c.metric === metric).map((c) => c.y.join()));
      expect([...new Set(state.map((c) => c.metric))].some((m) => ranges(state, m).size > 1)).toBe(true);
      await page.check('#shared-range');
      const shared = await charts();
      for (const metric of new Set(shared.map((c) => c.metric))) expect(ranges(shared, metric).size, metric).toBe(1);
      await page.uncheck('#shared-range');
      // Hover: the legend shows the epoch and each line's value there.
      const over = page.locator('section[data-metric="val_accuracy"] .u-over').first();
      await over.scrollIntoViewIfNeeded();
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width - 3, box.y + box.height / 2, { steps: 5 });
      const legend = page.locator('section[data-metric="val_accuracy"] .u-legend').first();
      expect(await legend.locator('.u-series').first().locator('.u-value').textContent()).toBe('2');
      expect(await legend.locator('.u-series').nth(1).locator('.u-value').textContent()).toMatch(/^0\.\d+$/);
      // A legend entry toggles its line.
      await legend.locator('.u-series').nth(1).locator('.u-label').click();
      expect((await charts())[0]!.show[1]).toBe(false);
      // Each run's curve, labelled with its seed, on demand.
      const runIndex = state[0]!.roles.indexOf('run') + 1;
      expect(state[0]!.labels[runIndex]).toBe('hidden=8 dropout=false seed 1');
      expect(state[0]!.show[runIndex]).toBe(false);
      await page.check('#show-runs');
      state = await charts();
      expect(state[0]!.show[runIndex]).toBe(true);
      // Smoothing changes the drawn curve; the log scale applies to losses only.
      await page.locator('#smoothing').fill('0.5');
      state = await charts();
      expect(await page.locator('#smoothing-value').textContent()).toBe('0.50');
      await page.check('#log-losses');
      state = await charts();
      expect(state.filter((c) => c.metric.endsWith('loss')).every((c) => c.distr === 3)).toBe(true);
      expect(state.filter((c) => !c.metric.endsWith('loss')).every((c) => c.distr === 1)).toBe(true);
      // Verdicts and findings fold away; each variant's resolved config is one click from the table.
      const verdicts = page.locator('details.block').first();
      expect(await page.locator('.verdicts li').count()).toBeGreaterThan(0);
      await verdicts.locator('summary').click();
      expect(await page.locator('.verdicts').isVisible()).toBe(false);
      const config = page.locator('td.config details').first();
      expect(await config.locator('pre').isVisible()).toBe(false);
      await config.locator('summary').click();
      const yaml = (await config.locator('pre').textContent())!;
      expect(yaml).toMatch(/^factors:\n  dropout: false\n  hidden: 8\ndata:\n/);
      expect(yaml).toMatch(/ {4}learning_rate: 0\.01\n {4}type: adam\n/);
      // Inside the network: one collapsible block per variant (the first open), a chart per signal, a line per layer.
      const blocks = page.locator('details.layers');
      expect(await blocks.count()).toBe(4);
      const firstBlock = blocks.first();
      expect(await firstBlock.getAttribute('open')).not.toBeNull();
      type LayerChart = { series: Array<{ label: string }>; scales: { y: { distr: number } }; root: { querySelector(s: string): { textContent: string } } };
      const layerCharts = () =>
        page.evaluate(() =>
          (window as unknown as { nnlabLayerCharts: LayerChart[] }).nnlabLayerCharts.map((c) => ({
            title: c.root.querySelector('.u-title').textContent,
            labels: c.series.map((s) => s.label),
            distr: c.scales.y.distr,
          })),
        );
      let drawn = await layerCharts();
      expect(drawn.map((c) => c.title)).toEqual(expect.arrayContaining(['grad_norm (log)', 'update_ratio (log)', 'dead_share', 'act_std']));
      // grad_norm: the hidden layer (1) and the output layer (3), on a log scale.
      const grad = drawn.find((c) => c.title === 'grad_norm (log)')!;
      expect(grad.labels).toEqual(['epoch', 'layer 1 (dense)', 'layer 3 (dense)']);
      expect(grad.distr).toBe(3);
      expect(await blocks.nth(1).locator('canvas').count()).toBe(0);
      await blocks.nth(1).locator('summary').click();
      await page.waitForFunction((n) => (window as unknown as { nnlabLayerCharts: unknown[] }).nnlabLayerCharts.length > n, drawn.length);
      expect(await blocks.nth(1).locator('canvas').first().isVisible()).toBe(true);
      drawn = await layerCharts();
      // Kept as a test artifact (test/artifacts/ is not committed).
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.locator('section[data-metric="val_accuracy"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
