import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from '../cli/run-cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// CI installs Debian's chromium: there the browser test must run, not be skipped.
if (process.env.NNLAB_EXPECT_BROWSER === '1' && !available) throw new Error(`chromium is required here but ${CHROMIUM} does not exist`);

describe.runIf(available)('HTML report in a real browser (headless Chromium)', () => {
  it('renders every chart with mean lines and bands, shows run curves on demand, logs no errors', async () => {
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
      // 5 history columns (loss, accuracy, their val_ twins, val_top_class_share) × 2 panels
      // (hidden=4, hidden=8), each with 2 mean lines (dropout off/on).
      expect(await page.locator('section svg').count()).toBe(10);
      expect(await page.locator('section svg path.mean').count()).toBe(20);
      expect(await page.locator('svg polygon.band').count()).toBeGreaterThan(0);
      const d = await page.locator('svg path.mean').first().getAttribute('d');
      expect(d).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
      expect(await page.locator('.verdicts li').count()).toBeGreaterThan(0);
      const run = page.locator('svg path.run').first();
      expect(await run.isVisible()).toBe(false);
      await page.check('#show-runs');
      expect(await run.isVisible()).toBe(true);
      // Inside the network: one collapsible block per variant (the first open), a chart per signal, a line per layer.
      const blocks = page.locator('details.layers');
      expect(await blocks.count()).toBe(4);
      const firstBlock = blocks.first();
      expect(await firstBlock.getAttribute('open')).not.toBeNull();
      expect(await firstBlock.locator('svg').first().isVisible()).toBe(true);
      const titles = await firstBlock.locator('svg > text[font-weight="bold"]').allTextContents();
      expect(titles).toEqual(expect.arrayContaining(['grad_norm (log)', 'update_ratio (log)', 'dead_share', 'act_std']));
      // grad_norm: the hidden layer (1) and the output layer (3), each a line across both epochs.
      const gradLines = firstBlock.locator('figure').filter({ hasText: 'grad_norm (log)' }).locator('path.mean');
      expect(await gradLines.count()).toBe(2);
      expect(await gradLines.first().getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
      expect(await blocks.nth(1).locator('svg').first().isVisible()).toBe(false);
      await blocks.nth(1).locator('summary').click();
      expect(await blocks.nth(1).locator('svg').first().isVisible()).toBe(true);
      const box = await page.locator('svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      await page.screenshot({ path: join(cwd, 'report.png'), fullPage: true });
      expect(existsSync(join(cwd, 'report.png'))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
