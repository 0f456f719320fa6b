import Table from 'cli-table3';
import { DATASET_CATALOG } from '../../data/catalog.js';
import type { Terminal } from '../terminal.js';

/** List the built-in datasets: shape, size, task, source and licence. */
export function datasetsCommand(options: { json?: boolean }, term: Terminal): number {
  const list = Object.values(DATASET_CATALOG);
  if (options.json) {
    term.stdout(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  const table = new Table({ head: ['name', 'task', 'sample shape', 'samples', 'source', 'licence'], style: { head: term.color ? ['cyan'] : [], border: term.color ? ['grey'] : [] }, colWidths: [15, 12, 13, 9, 28, 17], wordWrap: true });
  for (const d of list) {
    const task = d.task === 'classification' ? `${d.numClasses} classes` : 'regression';
    const samples = d.synthetic ? `${d.synthetic.samples}*` : String(d.samples);
    table.push([d.name, task, `[${d.featureShape.join(', ')}]`, samples, d.source, d.licence]);
  }
  term.stdout(`${table.toString()}\n${list.map((d) => `  ${d.name}: ${d.description}`).join('\n')}\n* synthetic: generated from data.seed (default 0); size and noise are data.samples and data.noise.\nYour own data: dataset: csv (path, target, task, optional features and categorical columns) or dataset: idx (images and labels files, MNIST's format, .gz too), paths relative to the spec.\n`);
  return 0;
}
