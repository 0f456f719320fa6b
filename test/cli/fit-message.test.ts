import { describe, expect, it } from 'vitest';
import { fitMessage } from '../../src/cli/terminal.js';

const located = 'bad.yaml:9:43 train.optimizer.adam.learning_rate: expected a positive learning rate, got "fast"';

describe('fitMessage', () => {
  it.each([
    {
      name: 'wraps each line to a terminal, continuations indented',
      term: { isTTY: true, columns: 40 },
      hanging: '    ',
      expected: 'bad.yaml:9:43\n    train.optimizer.adam.learning_rate:\n    expected a positive learning rate,\n    got "fast"',
    },
    { name: 'keeps a message that fits as it is', term: { isTTY: true, columns: 120 }, hanging: '  ', expected: located },
    { name: 'leaves one line per message for a file or pipe, whatever the width', term: { isTTY: false, columns: 40 }, hanging: '  ', expected: located },
  ])('$name', ({ term, hanging, expected }) => {
    const fitted = fitMessage(located, term, hanging);
    expect(fitted).toBe(expected);
    if (term.isTTY) expect(Math.max(...fitted.split('\n').map((l) => l.length))).toBeLessThanOrEqual(term.columns);
  });
});
