import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCurveChart } from '../../src/report/curve-chart.js';
import { plotScale } from '../../src/report/plot-scale.js';

// eslint-disable-next-line no-control-regex
const visible = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '').length;

describe('plotScale', () => {
  it.each([
    { name: 'a flat line sits in the middle', values: [0.45, 0.45], probe: 0.45, row: 5 },
    { name: 'float noise is flat', values: [0.45, 0.45000000000000007], probe: 0.45, row: 5 },
    { name: 'a huge constant is flat', values: [1e17, 1e17], probe: 1e17, row: 5 },
    { name: 'zero is flat', values: [0, 0], probe: 0, row: 5 },
    { name: 'the lowest value is the bottom row', values: [1, 3], probe: 1, row: 0 },
    { name: 'the highest value is the top row', values: [1, 3], probe: 3, row: 10 },
    { name: 'the extremes of float64 stay finite', values: [-Number.MAX_VALUE, Number.MAX_VALUE], probe: 0, row: 5 },
  ])('$name', ({ values, probe, row }) => {
    const scale = plotScale(values, 10);
    expect(scale.rowOf(probe)).toBeCloseTo(row, 6);
    for (let r = 0; r <= 10; r++) expect(Number.isFinite(scale.valueAt(r))).toBe(true);
  });
});

describe('renderCurveChart', () => {
  it('draws the series that hung asciichart (0.45 next to 0.45000000000000007) as one flat line', () => {
    const chart = renderCurveChart([{ label: 'a', values: [0.45, 0.45, 0.45] }, { label: 'b', values: [0.45000000000000007, 0.45] }], { title: 'acc', color: false, height: 6, width: 60 });
    expect(chart.split('\n').filter((l) => l.includes('─')).length).toBe(1);
    expect(chart).toContain('0.450');
  });

  it('marks series that end on the same row side by side, on the row of their last point', () => {
    const chart = renderCurveChart([{ label: 'a', values: [0, 1, 2] }, { label: 'b', values: [2, 1, 2] }], { title: 't', color: false, height: 4, width: 40 });
    const top = chart.split('\n')[1]!;
    expect(top).toContain('●');
    expect(top).toContain('■');
  });

  it('holds any series within its width and height, and ends (property)', () => {
    const value = fc.oneof(
      fc.double({ noNaN: false }),
      fc.constant(null),
      fc.constantFrom(0.45, 0.45000000000000007, 1e17, -1e17, 1e-300, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity),
    );
    const series = fc.array(fc.record({ label: fc.string({ maxLength: 30 }), values: fc.array(value, { maxLength: 70 }) }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 12 }), fc.integer({ min: 20, max: 120 }), fc.boolean(), (s, height, width, color) => {
        const chart = renderCurveChart(s, { title: 'title', color, height, width });
        const lines = chart.split('\n');
        expect(lines.length).toBeLessThanOrEqual(1 + height + 1 + 1 + s.length);
        for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(Math.max(24, width));
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
