import type { Comparison } from '../../analysis/compare.js';
import type { VariantDiagnosis } from '../../analysis/diagnose.js';
import type { RunForSummary, VariantSummary } from '../../analysis/summarize.js';
import { digitsFor, formatAtEpoch, formatEpochsToThreshold, formatMeanStd, thresholdHeading } from '../format-cells.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { escapeHtml as esc } from './escape-html.js';
import { CHART_SCRIPT } from './chart-script.js';
import { formatFactorValue, variantLabel } from '../../shared/factor-value.js';
import type { LayerSignalSummary } from '../../analysis/layer-summary.js';
import { renderLayerPanels } from './layer-panels.js';
import type { SampledFactor } from '../../spec/validate.js';
import type { EvidenceBlock } from '../evidence-charts.js';
import { meanCurve } from '../../analysis/seed-curves.js';
import { epochGrid, type EpochGrid } from './epoch-grid.js';

interface HtmlReportInput {
  experiment: string;
  question?: string;
  /** The answer's sentences, at the head of the page. */
  answer?: string[];
  /** The charts the answer rests on (see planEvidence), first and full width. */
  evidence?: EvidenceBlock[];
  factorNames: string[];
  /** The factor whose levels are the lines of the curves (the first compared one). */
  compare?: string;
  columns: string[];
  summaries: VariantSummary[];
  comparisons: Comparison[];
  runs: RunForSummary[];
  /** nnlab doctor's findings per variant, shown after the verdicts. */
  diagnoses?: VariantDiagnosis[];
  /** Per-layer signals over seeds, shown after the curves. */
  layerSummary?: LayerSignalSummary[];
  /** Random sweeps: the sampled factors, each plotted against the final metrics. */
  sampled?: SampledFactor[];
  /** Each variant's resolved config (YAML, without the seed), by variant index: one click away in the table. */
  configs?: Array<string | undefined>;
}

/** Points per series of the per-layer charts (330 pixels wide): past 300 epochs they are decimated. */
const LAYER_CHART_POINTS = 300;

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

/**
 * One self-contained HTML page (uPlot and its styles inlined, nothing fetched): the question and its
 * answer, the charts the answer rests on (full width), the verdicts and the doctor's findings
 * (collapsible), the table with each variant's resolved config a click away, and per metric one
 * interactive chart per combination of the non-compared factors — one line (mean over seeds, ±1 std
 * band) per level of the compared factor, each panel on its own y range (or, toggled, all on one),
 * hover with epoch and values, legends that toggle lines, smoothing, each run's curve with its seed
 * on demand, and a log scale for losses.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { summaries, compare } = input;
  const others = input.factorNames.filter((f) => f !== compare);
  const panelKey = (s: VariantSummary) => variantLabel(Object.fromEntries(others.map((f) => [f, s.factors[f]])));
  const panels = [...new Set(summaries.map(panelKey))];
  const levels = compare ? [...new Set(summaries.map((s) => formatFactorValue(s.factors[compare])))] : summaries.map((s) => variantName(s));
  const color = (s: VariantSummary) => PALETTE[levels.indexOf(compare ? formatFactorValue(s.factors[compare]) : variantName(s)) % PALETTE.length]!;
  const epochs = Math.max(1, ...summaries.flatMap((s) => Object.values(s.curves).map((c) => c.length)));
  // Validation metrics first: they answer the questions; training metrics below for contrast.
  const rank = (c: string) => (c.startsWith('val_') ? 0 : 2) + (c.endsWith('loss') ? 1 : 0);
  const ordered = [...input.columns].sort((a, b) => rank(a) - rank(b));
  // Long trainings are drawn decimated (see epochGrid); the result files keep every epoch.
  const grid = epochGrid(epochs);
  const runsOf = new Map<number, RunForSummary[]>();
  for (const r of input.runs) if (r.status === 'ok') runsOf.set(r.variant, [...(runsOf.get(r.variant) ?? []), r]);
  const meanAndStd = (s: VariantSummary, c: string) => {
    const mean = meanCurve(runsOf.get(s.variant) ?? [], s.variant, c).mean;
    const picked = grid.picks(mean);
    return {
      mean: grid.take(mean, picked),
      std: grid.take(
        mean.map((m, i) => (m === null ? null : (s.curveStds?.[c]?.[i] ?? null))),
        picked,
      ),
    };
  };
  const chartData = {
    xs: grid.xs,
    metrics: ordered.map((c) => ({
      column: c,
      loss: c.endsWith('loss'),
      panels: panels.map((panel) => ({
        title: panels.length > 1 ? `${c} · ${panel}` : c,
        series: summaries
          .filter((s) => panelKey(s) === panel)
          .map((s) => ({
            label: variantName(s),
            color: color(s),
            ...meanAndStd(s, c),
            runs: [...(runsOf.get(s.variant) ?? [])]
              .sort((x, y) => x.seed - y.seed)
              .map((r) => ({ seed: r.seed, values: grid.series(r.history.map((h) => (typeof h[c] === 'number' ? (h[c] as number) : null))) })),
          })),
      })),
    })),
  };
  const sections = ordered.map(
    (c) => `<section data-metric="${esc(c)}"><h3>${esc(c)}</h3><div class="panels">${panels.map(() => '<div class="chart"></div>').join('')}</div></section>`,
  );
  const legend = levels.map((l, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(compare ? `${compare}=${l}` : l)}</span>`).join('');
  const sampled = renderSampled(input, color, (s) => (compare ? `${compare}=${formatFactorValue(s.factors[compare])}` : variantName(s)), legend);
  // The per-layer charts are small and many (variants × signals × layers): fewer points each.
  const layerGrid = epochGrid(epochs, LAYER_CHART_POINTS);
  const layerPanels = renderLayerPanels(input.layerSummary ?? [], summaries.map(variantName), layerGrid);
  const evidence = evidenceData(input.evidence ?? [], grid);
  const verdicts = verdictsBlock(input.comparisons);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(input.experiment)} — nnlab report</title>
<style>${uplotCss()}</style>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem auto;color:#222;max-width:1400px;padding:0 1rem;font-size:15px}
h1{margin-bottom:.2rem} .question{font-size:1.1rem;color:#444;margin-top:0}
details.block>summary{cursor:pointer} details.block>summary h2{display:inline}
.table-wrap{overflow-x:auto;max-width:100%} table{border-collapse:collapse;font-size:.85rem} td,th{border:1px solid #ccc;padding:.25rem .45rem;text-align:right;vertical-align:top} th{white-space:normal} td.f,th.f{text-align:left}
td.config summary{cursor:pointer;color:#0969da} td.config pre{text-align:left;font-size:.75rem;margin:.3rem 0;max-width:36rem;white-space:pre-wrap}
.verdicts li{margin:.2rem 0} .verdicts b{display:inline-block;min-width:7em} .better{color:#1a7f37} .worse{color:#cf222e} .equivalent{color:#0969da} .inconclusive,.no-data{color:#9a6700}
.panels{display:flex;flex-wrap:wrap;gap:1rem} figure{margin:0} .chart{min-width:420px}
.legend span{margin-right:1rem} .legend i{display:inline-block;width:1.4rem;height:.35rem;margin-right:.3rem;vertical-align:middle}
.controls{display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
details.layers summary{cursor:pointer;font-weight:bold;margin:.4rem 0}
.finding{margin:.3rem 0 .6rem 1rem} .finding b{font-family:monospace} .finding p{margin:.1rem 0 .1rem 1rem} code{background:#f4f4f4;padding:0 .2rem}
.uplot .u-title{font-size:13px;font-weight:600} .u-legend{font-size:12px}
.answer{background:#f6f8fa;border-left:4px solid #0969da;padding:.4rem 1rem;margin:1rem 0} .answer li{margin:.35rem 0;line-height:1.4}
.evidence-chart{width:100%} .evidence h3{font-size:1rem;font-weight:600;margin:1rem 0 .3rem}
</style></head><body>
<h1>${esc(input.experiment)}</h1>
${input.question ? `<p class="question">${esc(input.question)}</p>` : ''}
<main>
${input.answer?.length ? `<section class="answer"><h2>Answer</h2><ul>${input.answer.map((a) => `<li>${esc(a)}</li>`).join('')}</ul></section>` : ''}
${evidence.html}
${verdicts}
${renderDiagnoses(input)}
<h2>Variants</h2><div class="table-wrap">${renderTable(input)}</div>
${sampled.html}
<h2>Curves</h2><p class="legend">${legend} — lines: mean over seeds; bands: ±1 std; click a legend entry to hide its line</p>
<div class="controls"><label><input type="checkbox" id="show-runs"> show each run's curve (with its seed)</label>
<label>smoothing <input type="range" id="smoothing" min="0" max="0.95" step="0.05" value="0"> <span id="smoothing-value">0.00</span></label>
<label><input type="checkbox" id="log-losses"> log scale for losses</label>
<label><input type="checkbox" id="shared-range"> one y range for all panels of a metric</label></div>
${sections.join('\n')}
${layerPanels.html}
</main>
<script type="application/json" id="nnlab-data">${jsonForScript({ ...chartData, evidence: evidence.data, scatters: sampled.data, layerXs: layerGrid.xs, layers: layerPanels.data })}</script>
<script>${uplotJs()}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

/**
 * The answer's charts: one full-width chart per panel, under its block's heading. Differences carry
 * the seeds' range as a band and the zero line dashed; trends and variants one line per level.
 */
function evidenceData(blocks: EvidenceBlock[], grid: EpochGrid): { html: string; data: unknown[] } {
  if (blocks.length === 0) return { html: '', data: [] };
  const data = blocks.map((b) => ({
    heading: b.heading,
    panels: b.panels.map((p) => {
      const lines = p.series.filter((s) => (s.style ?? 'line') !== 'band');
      const band = p.series.filter((s) => s.style === 'band');
      let lineNo = 0;
      return {
        title: p.title,
        lines: lines.map((s) => ({
          label: s.label,
          values: grid.series(s.values),
          zero: s.style === 'zero',
          color: s.style === 'zero' ? '#888888' : PALETTE[lineNo++ % PALETTE.length]!,
        })),
        ...(band.length === 2
          ? {
              band: {
                label: band[0]!.label.replace('between the dotted lines', 'in the shaded band'),
                low: grid.edge(band[0]!.values, 'low'),
                high: grid.edge(band[1]!.values, 'high'),
              },
            }
          : {}),
      };
    }),
  }));
  const html = `<section class="evidence"><h2>What the answer rests on</h2>${blocks.map((b) => `<h3>${esc(b.heading)}</h3>${b.panels.map(() => '<div class="evidence-chart"></div>').join('')}`).join('')}</section>`;
  return { html, data };
}

/** JSON inside a script element: `<` escaped so no value can close the element. */
function jsonForScript(value: unknown): string {
  // Charts show four significant digits; five are kept, more would only make the page larger.
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v)).replace(/</g, '\\u003c');
}

const require = createRequire(import.meta.url);
let uplot: { js: string; css: string } | undefined;
/** uPlot's minified build and styles (MIT), read once from its package and inlined: the report fetches nothing. */
function uplotAssets(): { js: string; css: string } {
  uplot ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplot;
}
const uplotJs = () => uplotAssets().js;
const uplotCss = () => uplotAssets().css;

/**
 * Random sweeps: per sampled factor and validation metric, a scatter of every variant's final value
 * (mean over seeds, ±1 std on hover) against the factor's value, a series per colour of the curves.
 * The charts are drawn by the report's script from the returned data (chart i of the HTML is data[i]).
 */
function renderSampled(
  input: HtmlReportInput,
  color: (s: VariantSummary) => string,
  legendOf: (s: VariantSummary) => string,
  legend: string,
): { html: string; data: unknown[] } {
  if (!input.sampled?.length) return { html: '', data: [] };
  const metrics = [
    ...input.columns.filter((c) => c.startsWith('val_') && c !== 'val_loss' && input.summaries.some((s) => s.metrics[c])).slice(0, 1),
    'val_loss',
  ];
  const groups = [...new Set(input.summaries.map(legendOf))];
  const data = input.sampled.flatMap((factor) =>
    metrics.map((metric) => {
      const xs = [...new Set(input.summaries.map((s) => s.factors[factor.name]).filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
      const series = groups.map((group) => {
        const mine = input.summaries.filter((s) => legendOf(s) === group);
        const at = (x: number) => mine.find((s) => s.factors[factor.name] === x)?.metrics[metric];
        return { label: group, color: color(mine[0]!), ys: xs.map((x) => at(x)?.final_mean ?? null), std: xs.map((x) => at(x)?.final_std ?? null) };
      });
      return { title: `final ${metric}`, xLabel: factor.name, log: factor.log, xs, series };
    }),
  );
  const html = `<h2>Sampled factors</h2><p class="legend">${legend} — each point a variant: the final value, mean over seeds (hover for it and its std)</p><div class="panels">${data.map(() => '<div class="scatter-chart"></div>').join('')}</div>`;
  return { html, data };
}

/** The doctor's findings, as `nnlab doctor` prints them: what was seen, why, and what to try. */
function renderDiagnoses(input: HtmlReportInput): string {
  if (!input.diagnoses) return '';
  const found = input.diagnoses.filter((d) => d.findings.length);
  if (!found.length) return '<h2>Diagnosis</h2><p>nnlab doctor found no training pathologies.</p>';
  const count = found.reduce((n, d) => n + d.findings.length, 0);
  const items = found.map((d) => {
    const findings = d.findings.map((f) => {
      const sets = f.sets?.length
        ? `<p>try: <code>nnlab run experiments/${esc(input.experiment)}.yaml ${f.sets.map((s) => `--set '${esc(s)}'`).join(' ')}</code></p>`
        : '';
      return `<div class="finding"><b>${f.severity === 'problem' ? '✗' : 'i'} ${esc(f.code)}</b> (${f.count}/${d.runs} runs)<p>seen: ${esc(f.seen)}</p><p>why: ${esc(f.why)}</p><p>fix: ${esc(f.fix)}</p>${sets}</div>`;
    });
    return `<h3>${esc(d.label)}</h3>${findings.join('')}`;
  });
  return `<details open class="block"><summary><h2>Diagnosis</h2> (${count} finding${count === 1 ? '' : 's'} in ${found.length} variant${found.length === 1 ? '' : 's'})</summary>${items.join('\n')}</details>`;
}

function variantName(s: VariantSummary): string {
  return variantLabel(s.factors);
}

function renderTable(input: HtmlReportInput): string {
  const validation = input.columns.filter((c) => c.startsWith('val_'));
  const metrics = [...validation.filter((c) => c !== 'val_loss'), ...validation.filter((c) => c === 'val_loss')];
  const tests = [...new Set(input.summaries.flatMap((s) => Object.keys(s.test ?? {})))].sort();
  const atEpochs = (input.summaries[0]?.at_epochs ?? []).filter((a) => metrics.includes(a.column));
  const thresholds = input.summaries[0]?.thresholds ?? [];
  const head = [
    ...input.factorNames.map((f) => `<th class="f">${esc(f)}</th>`),
    '<th>runs ok</th>',
    ...metrics.flatMap((m) => [`<th>final ${esc(m)}</th>`, `<th>best ${esc(m)} (epoch)</th>`]),
    ...atEpochs.map((a) => `<th>${esc(a.column)} at epoch ${a.epoch}</th>`),
    ...thresholds.map((t) => `<th>epochs to ${esc(thresholdHeading(t))}</th>`),
    ...tests.map((t) => `<th>${esc(t)} (held out)</th>`),
    ...(input.configs ? ['<th class="f">config</th>'] : []),
  ];
  const rows = input.summaries.map((s) => {
    const cells = metrics.flatMap((m) => {
      const st = s.metrics[m];
      if (!st) return ['<td>—</td>', '<td>—</td>'];
      const d = digitsFor(m, [st.final_mean, st.best_mean]);
      const epoch = st.best_epoch_mean === null ? '' : ` (${Number(st.best_epoch_mean.toFixed(1))})`;
      return [`<td>${formatMeanStd(st.final_mean, st.final_std, d)}</td>`, `<td>${formatMeanStd(st.best_mean, st.best_std, d)}${epoch}</td>`];
    });
    const status = `${s.ok}/${s.runs}${s.diverged ? `, ${s.diverged} diverged` : ''}${s.failed ? `, ${s.failed} failed` : ''}${s.missing ? `, ${s.missing} missing` : ''}`;
    const atEpochCells = atEpochs.map(
      (a) =>
        `<td>${esc(
          formatAtEpoch(
            s.at_epochs?.find((x) => x.epoch === a.epoch && x.column === a.column),
            s.ok,
          ),
        )}</td>`,
    );
    const thresholdCells = s.thresholds.map((t) => `<td>${esc(formatEpochsToThreshold(t))}</td>`);
    const testCells = tests.map((t) => {
      const st = s.test?.[t];
      return `<td>${st ? formatMeanStd(st.mean, st.std, digitsFor(t, [st.mean])) : '—'}</td>`;
    });
    const config = input.configs
      ? [
          `<td class="config">${input.configs[s.variant] ? `<details><summary>config</summary><pre>${esc(input.configs[s.variant]!)}</pre></details>` : '—'}</td>`,
        ]
      : [];
    return `<tr>${input.factorNames.map((f) => `<td class="f">${esc(formatFactorValue(s.factors[f]))}</td>`).join('')}<td>${status}</td>${[...cells, ...atEpochCells, ...thresholdCells, ...testCells, ...config].join('')}</tr>`;
  });
  return `<table><thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The verdict list, with how the verdicts were reached. */
function verdictsBlock(comparisons: HtmlReportInput['comparisons']): string {
  if (!comparisons.length) return '';
  const items = comparisons.map((c) => `<li><b class="${c.outcome.replace(' ', '-')}">${esc(c.outcome)}</b> ${esc(c.verdict)}</li>`).join('');
  const equivalence = comparisons.some((c) => c.margin !== undefined) ? '; equivalence within a margin by two one-sided tests' : '';
  const method =
    "Paired by seed: 95&nbsp;% intervals from Student's t; epochs to a threshold that some seeds never reached by Wilcoxon's " +
    `signed-rank test, "never" ranked last. A claim needs p&nbsp;&lt;&nbsp;0.05 after Holm's correction over every test of this report${equivalence}.`;
  return `<details open class="block"><summary><h2>Verdicts</h2> (${comparisons.length})</summary><ul class="verdicts">${items}</ul><p>${method}</p></details>`;
}
