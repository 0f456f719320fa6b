import { Document, isMap, isScalar, isSeq, type Node, type ScalarTag } from 'yaml';
import type { Imported } from './imported.js';

/**
 * The imported spec as standard YAML: each entry with a comment naming the line of the script it
 * came from (and what to know about it), flow style for layers, optimizers, callbacks and short
 * lists as the shipped experiments write them, and a header listing, line by line, what could not
 * be mapped. Any YAML parser reads it; `nnlab validate` and `nnlab run` take it as it is.
 * @example renderImportedSpec(imported, 'train.py') → "# Imported from train.py by nnlab import…\nname: train\n…"
 */
export function renderImportedSpec(imported: Imported, file: string): string {
  const doc = new Document(imported.spec, { customTags: (tags) => [EXPONENT_WITH_POINT, ...tags] });
  for (const path of [
    ['model', 'input_shape'],
    ['train', 'metrics'],
    ['sweep', 'seeds'],
  ])
    flow(doc.getIn(path, true));
  for (const item of seqItems(doc.getIn(['model', 'layers'], true))) flowInner(item);
  flowInner(doc.getIn(['train', 'optimizer'], true));
  const callbacks = doc.getIn(['train', 'callbacks'], true);
  if (isMap(callbacks)) for (const pair of callbacks.items) flow(pair.value as Node);
  flow(doc.getIn(['data', 'augmentation'], true));
  for (const [path, { line, note }] of [...imported.sources.entries()].sort()) {
    const node = doc.getIn(
      path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      true,
    ) as Node | undefined;
    const target = node && isMap(node) && node.items.length === 1 && !node.flow ? (node.items[0]!.value as Node) : node;
    if (!target) continue;
    const where = line ? `${file}:${line}` : '';
    const text = [where, note].filter(Boolean).join(': ');
    if (text) target.comment = ` ${text}`;
  }
  const header = [
    ` Imported from ${file} by nnlab import; each comment names the line an entry came from.`,
    ' Check it with: nnlab validate <this file>; train it with: nnlab run <this file>.',
    ...(imported.unmapped.length
      ? [
          ' Not mapped (nnlab trains without these; look at each):',
          ...imported.unmapped.sort((a, b) => a.line - b.line).map((u) => `   ${u.line ? `${file}:${u.line}` : file} ${u.what}: ${u.why}`),
        ]
      : [' Everything that sets up the training was mapped.']),
  ];
  doc.commentBefore = header.join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Numbers JavaScript writes in exponent form (1e-8) get a decimal point (1.0e-8): YAML 1.1 parsers
 * such as PyYAML read "1e-8" as a string.
 */
const EXPONENT_WITH_POINT: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (value) => typeof value === 'number' && /^-?\d+e/.test(String(value)),
  test: /^[-+]?\d+\.\d*e[-+]?\d+$/i,
  resolve: (text) => Number(text),
  stringify: ({ value }) => String(value).replace(/^(-?\d+)e/, '$1.0e'),
};

function flow(node: unknown): void {
  if ((isMap(node) || isSeq(node)) && node.items.every((i) => (isMap(i) ? false : isSeq(i) ? i.items.every(isScalar) : true))) node.flow = true;
}

/** `{adam: {...}}`, `{dense: {...}}`: the one value flow style, so the entry fits one line. */
function flowInner(node: unknown): void {
  if (isMap(node) && node.items.length === 1) flow(node.items[0]!.value);
}

function seqItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}
