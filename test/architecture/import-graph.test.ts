import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folders of src/, from the top of the pipeline to the bottom. A folder may import only
 * itself and the folders after it, so dependencies flow one way (see docs/layout.md).
 */
const LAYERS = [
  'bench',
  'cli',
  'pipeline',
  'exec',
  'report',
  'results',
  'analysis',
  'preflight',
  'keras',
  'train',
  'model',
  'data',
  'sweep',
  'run',
  'spec',
  'shared',
];
/** The only files that may read argv or the environment, exit, or signal: the entry points. */
const PROCESS_USERS = [/^cli\//, /^bench\//, /^exec\/worker-main\.ts$/, /^train\/kernels\/build-native\.ts$/];

const SRC = resolve(import.meta.dirname, '..', '..', 'src');
const files = (dir: string, ending = /\.ts$/): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full, ending) : ending.test(name) ? [full] : [];
  });
const sources = files(SRC).map((full) => ({ file: relative(SRC, full), text: readFileSync(full, 'utf8') }));
const folderOf = (file: string) => file.split('/')[0]!;
/** Relative imports (static and dynamic) of a source file, as src-relative paths. */
const importsOf = (file: string, text: string) =>
  [...text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => relative(SRC, resolve(SRC, file, '..', m[1]!)).replace(/\.js$/, '.ts'));

describe('the import graph of src/', () => {
  it('flows one way: no folder imports a folder above it', () => {
    const upward = sources.flatMap(({ file, text }) =>
      importsOf(file, text)
        .filter((target) => LAYERS.indexOf(folderOf(target)) < LAYERS.indexOf(folderOf(file)))
        .map((target) => `${file} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps results/ (files on disk) and analysis/ (statistics) apart: pipeline/ joins them into summary files', () => {
    const crossing = sources.flatMap(({ file, text }) =>
      importsOf(file, text)
        .filter(
          (target) => (folderOf(file) === 'results' && folderOf(target) === 'analysis') || (folderOf(file) === 'analysis' && folderOf(target) === 'results'),
        )
        .map((target) => `${file} → ${target}`),
    );
    expect(crossing).toEqual([]);
  });

  it('names every folder in the layering', () => {
    expect([...new Set(sources.map((s) => folderOf(s.file)))].filter((f) => !LAYERS.includes(f) && !f.endsWith('.ts'))).toEqual([]);
  });

  it('has no cycles between files', () => {
    const graph = new Map(sources.map(({ file, text }) => [file, importsOf(file, text)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('loads TensorFlow.js only when a command trains: no command reaches it through static imports', () => {
    // Static imports load with the module; `await import()` only when reached (run's training).
    const staticImports = (file: string, text: string) =>
      [...text.matchAll(/^(?:import|export) (?!type )[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((m) =>
        relative(SRC, resolve(SRC, file, '..', m[1]!)).replace(/\.js$/, '.ts'),
      );
    const texts = new Map(sources.map((s) => [s.file, s.text]));
    const closure = (entry: string) => {
      const seen = new Set<string>();
      const stack = [entry];
      while (stack.length) {
        const f = stack.pop()!;
        if (seen.has(f) || !texts.has(f)) continue;
        seen.add(f);
        stack.push(...staticImports(f, texts.get(f)!));
      }
      return seen;
    };
    const entries = ['cli/main.ts', ...sources.map((s) => s.file).filter((f) => f.startsWith('cli/commands/'))];
    const reaching = entries.flatMap((entry) => [...closure(entry)].filter((f) => /from '@tensorflow\/tfjs/.test(texts.get(f)!)).map((f) => `${entry} → ${f}`));
    expect(reaching).toEqual([]);
  });

  it('keeps process.* (argv, env, exit, signals) to the entry points', () => {
    const users = sources
      .filter(
        ({ file, text }) =>
          /\bprocess\.(argv|env|exit|on|kill|send|stdout|stderr|stdin|pid|cwd|versions|execPath|platform)\b/.test(text) &&
          !PROCESS_USERS.some((re) => re.test(file)),
      )
      .map((s) => s.file);
    expect(users).toEqual([]);
  });
});

describe('the surface of src/', () => {
  it('exports only what another file (source or test) uses', () => {
    const TEST = resolve(SRC, '..', 'test');
    const tests = files(TEST, /\.(ts|mjs)$/);
    const others = [...sources.map((s) => ({ file: s.file, text: s.text })), ...tests.map((f) => ({ file: relative(SRC, f), text: readFileSync(f, 'utf8') }))];
    const unused = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/^export (?:async )?(?:const|function|class|interface|type|enum|let) (\w+)/gm)]
        .map((m) => m[1]!)
        .filter((name) => !others.some((o) => o.file !== file && new RegExp(`\\b${name}\\b`).test(o.text)))
        .map((name) => `${file}: ${name}`),
    );
    expect(unused).toEqual([]);
  });
});
