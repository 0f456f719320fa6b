import { relative, resolve } from 'node:path';
import Table from 'cli-table3';
import { listVariants, metricColumns, sortVariants, type ListedVariant } from '../../analysis/result-listing.js';
import { findResultSets } from '../../results/find-result-sets.js';
import { fitColumnWidths } from '../../report/fit-table.js';
import { wrapText } from '../../shared/wrap-text.js';
import { formatFactorValue } from '../../shared/factor-value.js';
import type { Terminal } from '../terminal.js';

/** List every result set under `dir` (default results/): one row per variant, sortable, or JSON. */
export async function lsCommand(dir: string | undefined, options: { sort?: string; json?: boolean }, term: Terminal): Promise<number> {
  const root = resolve(term.cwd, dir ?? 'results');
  const { sets, skipped } = await findResultSets(root);
  const listed = listVariants(
    sets.map(({ dir: setDir, summary }) => ({
      experiment: summary.experiment,
      dir: relative(term.cwd, setDir) || '.',
      variants: summary.variants as unknown as Parameters<typeof listVariants>[0][number]['variants'],
    })),
  );
  const rows = options.sort ? sortVariants(listed, options.sort) : listed;
  if (options.json) {
    term.stdout(JSON.stringify({ root: relative(term.cwd, root) || '.', variants: rows, skipped }, null, 2) + '\n');
    return 0;
  }
  const width = term.stdoutWidth ?? 120;
  const notes = skipped.map((s) => `skipped ${s}`);
  if (rows.length === 0) notes.unshift(`no result sets under ${relative(term.cwd, root) || '.'} (nnlab run writes them to results/<spec name>)`);
  // One table per result set, its factors as columns (as dvc exp show); --sort orders the rows within each.
  const blocks = [...new Set(listed.map((r) => r.dir))].map((setDir) => {
    const mine = rows.filter((r) => r.dir === setDir);
    const runs = mine.reduce((n, r) => n + r.runs, 0);
    const factors = sets.find((set) => (relative(term.cwd, set.dir) || '.') === setDir)?.summary.factors ?? [];
    return `${mine[0]!.experiment} (${setDir}): ${mine.length} variant${mine.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'}\n${renderListing(mine, factors, term.color, width)}\n`;
  });
  const legend = rows.length ? `final values, mean ± std over seeds${options.sort ? `; rows sorted by ${options.sort}` : ''}\n` : '';
  term.stdout(blocks.join('\n') + legend + notes.map((n) => wrapText(n, width, '  ') + '\n').join(''));
  return 0;
}

/**
 * Four significant digits (the std two), exponents from 1e5: one set's losses can span 1e-3 to 1e8 (unscaled
 * targets), so each cell has its own precision.
 */
function formatCell(stat: { mean: number | null; std: number | null } | undefined): string {
  if (!stat || stat.mean === null) return '';
  const f = (x: number, digits: number) => (Math.abs(x) >= 1e5 ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits))));
  return stat.std === null ? f(stat.mean, 4) : `${f(stat.mean, 4)} ± ${f(stat.std, 2)}`;
}

/** One result set's variants: its factors (in the summary's order) as columns, then runs and metrics. */
function renderListing(rows: ListedVariant[], factorNames: string[], color: boolean, width: number): string {
  const metrics = metricColumns(rows);
  const factors = [...new Set([...factorNames, ...rows.flatMap((r) => Object.keys(r.factors))])];
  const head = [...factors, 'runs ok', ...metrics];
  const body = rows.map((r) => [
    ...factors.map((f) => formatFactorValue(r.factors[f])),
    `${r.ok}/${r.runs}${r.diverged ? ` ${r.diverged} div` : ''}${r.failed ? ` ${r.failed} failed` : ''}${r.missing ? ` ${r.missing} missing` : ''}`,
    ...metrics.map((m) => formatCell(r.metrics[m])),
  ]);
  const table = new Table({
    head,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
    colAligns: head.map((_, i) => (i < factors.length ? 'left' : 'right')),
    colWidths: fitColumnWidths([head, ...body], width),
    wordWrap: true,
  });
  table.push(...body);
  return table.toString();
}
