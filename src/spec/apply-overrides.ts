import { isMap, isSeq, type Document } from 'yaml';
import type { SpecIssue } from '../shared/errors.js';
import { formatPath, type SpecPath } from './locate.js';
import { parseOverride, type Override } from './overrides.js';

/**
 * Apply `--set path=value` overrides to the parsed document, in order; each one that cannot be
 * applied becomes an issue naming the --set. Returns the applied ones (to locate later issues).
 * @example applyOverrides(doc, ['train.epochs=3'], issues) → [{path: ['train', 'epochs'], value: 3, …}]
 */
export function applyOverrides(doc: Document, texts: string[], issues: SpecIssue[]): Override[] {
  const applied: Override[] = [];
  for (const text of texts) {
    const parsed = parseOverride(text);
    if ('error' in parsed) {
      issues.push({ code: 'override', severity: 'error', path: '', message: parsed.error, origin: `--set ${text}` });
      continue;
    }
    const outOfRange = indexBeyondList(doc, parsed.path);
    if (outOfRange) {
      issues.push({ code: 'override', severity: 'error', path: formatPath(parsed.path), message: outOfRange, origin: `--set ${text}` });
      continue;
    }
    try {
      doc.setIn(parsed.path as Array<string | number>, doc.createNode(parsed.value));
      applied.push(parsed);
    } catch {
      issues.push({
        code: 'override',
        severity: 'error',
        path: formatPath(parsed.path),
        message: 'cannot set this path: a parent of it is not a mapping or list',
        origin: `--set ${text}`,
      });
    }
  }
  return applied;
}

/** Why `path` cannot be set when one of its indexes lies past the end of its list (setting it would leave holes). */
function indexBeyondList(doc: Document, path: SpecPath): string | undefined {
  let node: unknown = doc.contents;
  for (const [i, seg] of path.entries()) {
    if (isSeq(node) && typeof seg === 'number') {
      if (seg > node.items.length) {
        const list = formatPath(path.slice(0, i));
        const size = node.items.length;
        return `${list} has ${size} item${size === 1 ? '' : 's'}${size ? ` ([0] to [${size - 1}])` : ''}; there is no [${seg}] to set (a new item goes at [${size}])`;
      }
      node = node.items[seg];
    } else if (isMap(node)) {
      node = node.get(seg, true);
    } else return undefined;
  }
  return undefined;
}
