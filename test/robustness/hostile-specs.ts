import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';

export const EXPERIMENTS = readdirSync('experiments')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ file: join('experiments', f), text: readFileSync(join('experiments', f), 'utf8') }));

/** Values a careless or hostile spec might hold anywhere. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    -3,
    1e308,
    -1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    0.5,
    1e-300,
    '',
    'fast',
    '${nope}',
    '${hidden}',
    [],
    {},
    [1, 'x'],
    { a: { b: { c: {} } } },
  ),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc.integer({ min: 1, max: 60 }).map((depth) => Array.from({ length: depth }).reduce<unknown>((inner) => ({ x: inner }), 1)),
);

function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

function setAt(root: unknown, path: Array<string | number>, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** A shipped experiment with one field replaced, removed, or an unknown key added, as YAML text. */
export const mutatedExperiment: fc.Arbitrary<{ file: string; text: string }> = fc
  .tuple(fc.constantFrom(...EXPERIMENTS), fc.nat(), hostileValue, fc.constantFrom('replace', 'remove', 'unknown-key'))
  .map(([exp, pick, value, how]) => {
    // Shipped specs are standard YAML: any parser reads them.
    const doc = parse(exp.text) as unknown;
    const all = paths(doc);
    const path = all[pick % all.length]!;
    const mutated =
      how === 'unknown-key'
        ? setAt(doc, [...path.filter((_, i) => i < path.length - 1), 'unexpected_key'], value, false)
        : setAt(doc, path, value, how === 'remove');
    return { file: exp.file, text: stringify(mutated) };
  });

/** Text-level damage: truncation, non-UTF-8 bytes, duplicate keys, alias bombs, random YAML. */
export const damagedText: fc.Arbitrary<{ file: string; text: string }> = fc.oneof(
  fc.tuple(fc.constantFrom(...EXPERIMENTS), fc.nat()).map(([e, n]) => ({ file: e.file, text: e.text.slice(0, n % (e.text.length + 1)) })),
  fc.tuple(fc.constantFrom(...EXPERIMENTS), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([e, n, bytes]) => {
    const at = n % (e.text.length + 1);
    return {
      file: e.file,
      text: e.text.slice(0, at) + new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from([0xff, 0xfe, ...bytes])) + e.text.slice(at),
    };
  }),
  fc.constantFrom(...EXPERIMENTS).map((e) => ({ file: e.file, text: `${e.text}\nname: duplicate\n` })),
  fc.integer({ min: 2, max: 9 }).map((levels) => ({
    file: 'bomb.yaml',
    text: [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: levels },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n'),
  })),
  fc.string({ maxLength: 200 }).map((text) => ({ file: 'random.yaml', text })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ file: 'random.yaml', text: stringify(v) })),
);
