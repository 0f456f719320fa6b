import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { validateSpecText } from '../../src/spec/validate.js';
import { formatIssue } from '../../src/shared/errors.js';

const ROOT = resolve(import.meta.dirname, '../..');
const specs = readdirSync(join(ROOT, 'experiments'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ name: `experiments/${f}`, text: readFileSync(join(ROOT, 'experiments', f), 'utf8') }));
const docs = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const readmeBlocks = docs.flatMap((doc) =>
  [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${doc} yaml block ${i + 1}`, text: m[1]! })),
);

describe('specs are standard YAML', () => {
  it.each([...specs, ...readmeBlocks])('$name parses with a plain YAML parser', ({ text }) => {
    expect(parseDocument(text).errors.map((e) => e.message)).toEqual([]);
  });

  it('a ${var} left unquoted inside {…} gets a located error saying how to write it, for each one', () => {
    const text = specs.find((s) => s.name.endsWith('bn-vs-nobn.yaml'))!.text.replace(/"(\$\{\w+\})"/g, '$1');
    const errors = validateSpecText(text, 'x.yaml').issues.map(formatIssue);
    expect(errors).toEqual([
      'x.yaml:16:22 invalid YAML: ${hidden} inside {…} or […] must be quoted, "${hidden}" (standard YAML, as in Hydra and OmegaConf; block style needs no quotes)',
      'x.yaml:17:29 invalid YAML: ${bn} inside {…} or […] must be quoted, "${bn}" (standard YAML, as in Hydra and OmegaConf; block style needs no quotes)',
    ]);
  });
});
