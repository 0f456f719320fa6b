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
    const chart = renderCurveChart(
      [
        { label: 'a', values: [0.45, 0.45, 0.45] },
        { label: 'b', values: [0.45000000000000007, 0.45] },
      ],
      { title: 'acc', color: false, height: 6, width: 60 },
    );
    const plotRows = chart.split('\n').slice(1, 8);
    expect(plotRows.filter((l) => /[─═]/.test(l)).length).toBe(1);
    expect(chart).toContain('0.450');
  });

  it('tells lines apart along their length without colour: each its own strokes, named in the legend', () => {
    const chart = renderCurveChart(
      [
        { label: 'a', values: [0, 1, 2, 3] },
        { label: 'b', values: [3, 2, 1, 0] },
        { label: 'c', values: [1, 1, 1, 1] },
      ],
      { title: 't', color: false, height: 6, width: 50 },
    );
    const plot = chart.split('\n').slice(1, 8).join('\n');
    expect(plot).toMatch(/[╭╯╰╮]/); // light strokes: a
    expect(plot).toMatch(/[╔╝╚╗═]/); // double strokes: b
    expect(plot).toMatch(/━/); // heavy strokes: c
    expect(chart).toContain('  ─── a');
    expect(chart).toContain('  ═══ b');
    expect(chart).toContain('  ━━━ c');
  });

  it('ends a series where it stops (early stopping), not held flat to the longest', () => {
    const chart = renderCurveChart(
      [
        { label: 'on', values: [1, 2, 3, null, null, null, null, null, null, null] },
        { label: 'off', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
      ],
      { title: 't', color: false, height: 9, width: 60 },
    );
    const rows = chart.split('\n').slice(1, 11);
    // The stopped series (light strokes) takes no column past its third epoch's.
    const lastLight = Math.max(...rows.map((r) => Math.max(r.lastIndexOf('─'), r.lastIndexOf('╯'), r.lastIndexOf('╭'))));
    const lastDouble = Math.max(...rows.map((r) => Math.max(r.lastIndexOf('═'), r.lastIndexOf('╝'), r.lastIndexOf('╔'))));
    expect(lastLight).toBeLessThan(lastDouble / 2);
  });

  it('draws a band dotted and a zero line dashed beneath the line, and can leave the legend to its caller', () => {
    const chart = renderCurveChart(
      [
        { label: 'diff', values: [-0.1, -0.05, 0] },
        { label: 'range', values: [-0.2, -0.1, -0.05], style: 'band' },
        { label: '', values: [0, 0, 0.05], style: 'band' },
        { label: 'no difference', values: [0, 0, 0], style: 'zero' },
      ],
      { title: 't', color: false, height: 8, width: 50, legend: false },
    );
    expect(chart).toContain('·');
    expect(chart).toContain('┈');
    expect(chart).not.toContain('no difference');
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
        expect(lines.every((l) => !l.includes('undefined'))).toBe(true);
        for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(Math.max(24, width));
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
