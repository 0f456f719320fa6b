import Table from 'cli-table3';
import { DATASET_CATALOG, type DatasetInfo } from '../../data/catalog.js';
import type { Terminal } from '../terminal.js';
import { fitColumnWidths, visibleWidth } from '../../report/fit-table.js';
import { wrapText } from '../../shared/wrap-text.js';

/** List the built-in datasets: shape, size, task, source and licence. */
export function datasetsCommand(options: { json?: boolean }, term: Terminal): number {
  const list = Object.values(DATASET_CATALOG);
  if (options.json) {
    term.stdout(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  // Files and pipes get 100 columns; a narrower terminal gets the source and licence below the table.
  const width = term.stdoutWidth ?? 100;
  const fits = Math.max(...renderTable(list, true, term.color).split('\n').map(visibleWidth)) <= width;
  const notes = [
    ...list.map((d) => `  ${d.name}: ${d.description}${fits ? '' : `. Source: ${d.source}; licence: ${d.licence}`}`),
    '* synthetic: generated from data.seed (default 0); size and noise are data.samples and data.noise.',
    "Your own data: dataset: csv (path, target, task, optional features and categorical columns), dataset: idx (images and labels files, MNIST's format, .gz too), dataset: npz (path, task, the x and y array names) or dataset: npy (x and y files, task); paths relative to the spec. nnlab import --data FILE writes these for you.",
  ];
  const table = renderTable(list, fits, term.color, width);
  term.stdout(`${table}\n${notes.map((n) => wrapText(n, width, '    ')).join('\n')}\n`);
  return 0;
}

/** The table at its natural width, or fitted (cells wrapped) to `width`. */
function renderTable(list: DatasetInfo[], withSource: boolean, color: boolean, width?: number): string {
  const head = ['name', 'task', 'sample shape', 'samples', ...(withSource ? ['source', 'licence'] : [])];
  const rows = list.map((d) => {
    const task = d.task === 'classification' ? `${d.numClasses} classes` : 'regression';
    const samples = d.synthetic ? `${d.synthetic.samples}*` : String(d.samples);
    return [d.name, task, `[${d.featureShape.join(', ')}]`, samples, ...(withSource ? [d.source, d.licence] : [])];
  });
  const fit = width === undefined ? {} : { colWidths: fitColumnWidths([head, ...rows], width), wordWrap: true };
  const table = new Table({ head, style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true }, ...fit });
  table.push(...rows);
  return table.toString();
}
