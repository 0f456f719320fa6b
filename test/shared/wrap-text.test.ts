import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/shared/wrap-text.js';

describe('wrapText', () => {
  it('breaks at spaces within the width and indents continuation lines', () => {
    expect(wrapText('a bb cc', 4, ' ')).toBe('a bb\n cc');
    expect(wrapText('one two three', 7, '  ')).toBe('one two\n  three');
  });

  it('lets a word longer than the width stand alone', () => {
    expect(wrapText('a verylongword b', 5)).toBe('a\nverylongword\nb');
  });

  it("keeps the first line's indentation", () => {
    expect(wrapText('  a bb cc', 6, '    ')).toBe('  a bb\n    cc');
  });

  it('keeps a percent sign with its number', () => {
    // "higher by 0.31 (32" would fit in 19 columns; the break comes before "(32 %)" instead.
    expect(wrapText('higher by 0.31 (32 %) in 10/10', 19)).toBe('higher by 0.31\n(32 %) in 10/10');
  });

  it('keeps a quoted argument whole, so a suggested command still pastes', () => {
    const text = "more seeds: --set 'sweep.seeds={min: 3, max: 10, until: decided}'. Or fewer.";
    expect(wrapText(text, 40)).toBe("more seeds: --set\n'sweep.seeds={min: 3, max: 10, until: decided}'.\nOr fewer.");
    // An apostrophe inside or at the end of a word opens nothing.
    expect(wrapText("the model's output and tfjs' kernels", 16)).toBe("the model's\noutput and tfjs'\nkernels");
  });
});
