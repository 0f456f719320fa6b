import { describe, expect, it } from 'vitest';
import { findUnquotedFlowVariables } from '../../src/spec/flow-variables.js';

describe('findUnquotedFlowVariables', () => {
  it.each([
    { name: 'unquoted in a flow mapping', input: '- dense: {units: ${hidden}}', expected: [{ name: 'hidden', line: 1, col: 18 }] },
    { name: 'unquoted in a flow sequence', input: 'a: [${x}, 2]', expected: [{ name: 'x', line: 1, col: 5 }] },
    { name: 'quoted (standard YAML)', input: '- dense: {units: "${hidden}"}', expected: [] },
    { name: 'single-quoted', input: "- dense: {units: '${hidden}'}", expected: [] },
    { name: 'block style needs no quotes', input: 'units: ${hidden}', expected: [] },
    { name: 'in a comment', input: 'a: {b: 1}  # like {units: ${hidden}}', expected: [] },
    { name: 'a flow mapping over two lines', input: 'a: {b: 1,\n  c: ${x}}', expected: [{ name: 'x', line: 2, col: 6 }] },
    { name: 'after a closed mapping on the line', input: 'a: {b: 1}\nc: ${x}', expected: [] },
  ])('$name', ({ input, expected }) => {
    expect(findUnquotedFlowVariables(input)).toEqual(expected);
  });
});
