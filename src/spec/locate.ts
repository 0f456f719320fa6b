import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type SpecPath = ReadonlyArray<string | number>;

/** `model.layers[2].dense.units` @example formatPath(['a', 0, 'b']) === 'a[0].b' */
export function formatPath(path: SpecPath): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
}

/**
 * Line and column (1-based) of `path` in a parsed YAML document: the value's position when the whole
 * path exists, the key's when `atKey` (unknown keys), else the nearest existing ancestor's.
 */
export function locatePath(doc: Document, lines: LineCounter, path: SpecPath, atKey = false): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      if (last && atKey && isScalar(pair.key)) {
        best = pair.key;
        break;
      }
      node = pair.value;
      best = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, col: pos.col };
}
