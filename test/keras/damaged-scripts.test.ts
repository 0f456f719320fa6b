import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { modelJsonToSpec } from '../../src/keras/model-json.js';
import { readKerasScript } from '../../src/keras/read-script.js';
import { scriptToSpec } from '../../src/keras/script-to-spec.js';
import { renderImportedSpec } from '../../src/keras/spec-yaml.js';
import { createRng, type Rng } from '../../src/shared/rng.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras');
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'keras');
const scripts = [FIXTURES, EXAMPLES].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .map((f) => readFileSync(join(dir, f), 'utf8')),
);
const PIECES = [
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  ':',
  '\n',
  '    ',
  '"',
  "'",
  '#',
  '\\',
  'lambda x: x',
  '**',
  '*args',
  'None',
  '1e400',
  '-0',
  'model',
  'Dense(',
  'add(',
  '.fit(',
  'Sequential([',
  '\u0000',
  'é',
  '"""',
];

/** A script with a few random edits: a span deleted, a piece of Python syntax inserted, or the text cut short. */
function damage(text: string, rng: Rng): string {
  let out = text;
  for (let edits = 1 + rng.int(4); edits > 0; edits--) {
    const at = rng.int(out.length + 1);
    const kind = rng.int(3);
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + rng.int(30));
    else if (kind === 1) out = out.slice(0, at) + PIECES[rng.int(PIECES.length)] + out.slice(at);
    else out = out.slice(0, at);
  }
  return out;
}

describe('damaged Keras scripts and model JSON', () => {
  it('import to a spec any YAML parser reads, or list what they could not map, never throwing (1,500 scripts)', () => {
    const rng = createRng(11, 'damaged-scripts');
    for (let i = 0; i < 1500; i++) {
      const text = damage(scripts[i % scripts.length]!, rng);
      let yaml = '';
      expect(() => {
        const imported = scriptToSpec(readKerasScript(text), { name: 'damaged', data: { dataset: 'mnist' } });
        yaml = renderImportedSpec(imported, 'train.py');
      }, text).not.toThrow();
      expect(parse(yaml)).toMatchObject({ name: 'damaged', model: { layers: expect.any(Array) } });
    }
  });

  it('model.json with random values in place of its own never throws', () => {
    const rng = createRng(12, 'damaged-json');
    const json = readFileSync(join(FIXTURES, 'cnn-model.json'), 'utf8');
    const values = ['null', '[]', '{}', '"x"', '-1', '1e308', 'true', '[null, null]', '{"class_name": 5}'];
    let parsed = 0;
    for (let i = 0; i < 500; i++) {
      const tokens = json.split(/(?<=[:,[])/);
      const at = rng.int(tokens.length);
      tokens[at] = tokens[at]!.replace(/^\s*("[^"]*"|-?[\d.e-]+|true|false|null)/, values[rng.int(values.length)]!);
      let value: unknown;
      try {
        value = JSON.parse(tokens.join(''));
      } catch {
        continue; // The CLI says "not JSON" for these (test/cli/import.test.ts).
      }
      parsed++;
      expect(() => renderImportedSpec(modelJsonToSpec(value, { name: 'm' }), 'model.json'), tokens.join('')).not.toThrow();
    }
    expect(parsed).toBeGreaterThan(300);
  });
});
