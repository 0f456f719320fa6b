import { variantLabel } from '../shared/factor-value.js';
import { formatQuantityValue } from '../shared/numbers.js';
import { ALPHA, formatP, type Decision } from './decision.js';
import type { Pairing } from './pairing.js';

/**
 * One plain sentence per comparison: the claim and its evidence, or why there is none.
 * @example "hidden=5: with bn=true, loss at epoch 3 is 0.3147 higher than with bn=false (95 % CI …)"
 */
export function verdictSentence(c: Pairing, d: Decision, family: number, looks: number): string {
  const where = Object.keys(c.others).length ? `${variantLabel(c.others)}: ` : '';
  const who = variantLabel({ [c.factor]: c.level });
  const versus = variantLabel({ [c.factor]: c.baseline });
  const q = c.quantity;
  const epochs = q.kind === 'epochs';
  const { n, meanDifference: m, ci, ci90 } = c.stats;
  const scale = Math.max(Math.abs(m ?? 0), ...(ci ?? []).map(Math.abs), d.margin ?? 0);
  const fmt = (x: number) => (Number.isFinite(x) ? formatQuantityValue(Math.abs(x), epochs ? 'epochs' : scale) : 'never');
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${fmt(x)}`;
  const up = epochs ? 'later' : 'higher';
  const down = epochs ? 'sooner' : 'lower';
  const direction = (x: number) => (x > 0 ? up : down);
  const unit = epochs ? ' epochs' : '';
  const unpaired = c.unpaired ? `; ${c.unpaired} seed${c.unpaired === 1 ? '' : 's'} without a value on both sides` : '';
  const reached =
    c.reached && c.reached.of > 0 && (c.reached.baseline < c.reached.of || c.reached.level < c.reached.of)
      ? `reached in ${c.reached.level}/${c.reached.of} seeds with ${who}, ${c.reached.baseline}/${c.reached.of} with ${versus}; `
      : '';
  const adjustedNote = (p: number | null | undefined) =>
    p === null || p === undefined
      ? ''
      : `; Holm-adjusted p ${formatP(p)} over ${family} test${family === 1 ? '' : 's'}${looks > 1 ? ` × ${looks} rounds` : ''}`;
  const more = d.seedsToDecide
    ? `; about ${d.seedsToDecide} seeds would likely decide it`
    : d.seedsToDecide === null
      ? '; the spread seen would need more than 1,000 seeds to decide it'
      : '';
  const margin = d.margin === undefined ? '' : `±${fmt(d.margin)}${unit}${d.marginIsDefault ? ' (default margin: half the seed-to-seed spread)' : ''}`;

  if (d.outcome === 'no data') {
    if (c.reached && c.reached.of > 0)
      return `${where}${q.label}: neither ${who} nor ${versus} got there in any of ${c.reached.of} seeds, nothing to compare${unpaired}`;
    return `${where}${q.label}: no seed in which both ${who} and ${versus} finished, nothing to compare${unpaired}`;
  }
  if (c.method === 'signed-rank') {
    const rank = c.rank!;
    const med = rank.median ?? 0;
    const agree = med > 0 ? rank.positive : rank.negative;
    // An infinite median: in the middle seed one side never reached the threshold.
    const middle = Number.isFinite(med) ? `median difference ${signed(med)}${unit}` : `in the median seed only ${med < 0 ? who : versus} reached it`;
    const evidence = `${reached}${middle}; ${agree}/${c.differences.length} seeds ${direction(med)}; signed-rank p ${formatP(d.p ?? 1)}${adjustedNote(d.pAdjusted)}`;
    if (d.outcome === 'better' || d.outcome === 'worse')
      return `${where}with ${who}, ${q.label} comes ${direction(med)} than with ${versus} (${evidence})${unpaired}`;
    if (d.outcome === 'equivalent')
      return `${where}${q.label} is equivalent with ${who} and ${versus} within ${margin} (${evidence}${adjustedNote(d.pEquivalentAdjusted)})${unpaired}`;
    return `${where}${d.margin === undefined ? 'no clear difference in' : 'inconclusive on'} ${q.label} between ${who} and ${versus} (${evidence})${more}${unpaired}`;
  }
  if (m === null || n < 2)
    return `${where}${who} ${q.label} is ${fmt(m ?? 0)}${unit} ${direction(m ?? 0)} than ${versus} from one seed: no confidence interval, no claim${unpaired}`;
  const agree = m > 0 ? c.stats.positive : c.stats.negative;
  if (c.method === 'sign-flip') {
    const lo = Math.min(...c.differences);
    const hi = Math.max(...c.differences);
    const values = lo === hi ? `${signed(lo)}${unit} in all ${n} seeds` : `${signed(lo)} to ${signed(hi)}${unit} over ${n} seeds`;
    const spread =
      c.stats.sd === 0
        ? 'the same difference in every seed'
        : `differences that spread less than one step of the quantity (sd ${fmt(c.stats.sd ?? 0)}${unit}, steps of ${fmt(c.resolution)}${unit})`;
    const exact = `${spread}, where Student's t is not reliable: an exact sign-flip test decides, p ${formatP(d.p ?? 1)}, at best ${formatP(2 / 2 ** n)} from ${n} seeds`;
    if (d.outcome === 'better' || d.outcome === 'worse')
      return `${where}with ${who}, ${q.label} is ${fmt(m)}${unit} ${direction(m)} than with ${versus} (${values}; ${exact}${adjustedNote(d.pAdjusted)})${unpaired}`;
    if (d.outcome === 'equivalent')
      return `${where}${q.label} is equivalent with ${who} and ${versus} within ${margin} (${values}; ${exact}${adjustedNote(d.pEquivalentAdjusted)})${unpaired}`;
    return `${where}${d.margin === undefined ? 'no clear difference in' : 'inconclusive on'} ${q.label} between ${who} and ${versus} (${values}; ${exact})${more}${unpaired}`;
  }
  const interval = `95\u00a0% CI ${signed(ci![0])} to ${signed(ci![1])}`;
  if (d.outcome === 'better' || d.outcome === 'worse') {
    const within =
      d.pEquivalentAdjusted !== undefined && d.pEquivalentAdjusted !== null && d.pEquivalentAdjusted < ALPHA ? `, within the ${margin} margin` : '';
    return `${where}with ${who}, ${q.label} is ${fmt(m)}${unit} ${direction(m)} than with ${versus} (${interval}; ${agree}/${n} seeds ${direction(m)}${adjustedNote(d.pAdjusted)})${within}${unpaired}`;
  }
  if (d.outcome === 'equivalent') {
    return `${where}${q.label} is equivalent with ${who} and ${versus} within ${margin} (mean ${signed(m)}, 90\u00a0% CI ${signed(ci90![0])} to ${signed(ci90![1])}${adjustedNote(d.pEquivalentAdjusted)})${unpaired}`;
  }
  const excluded =
    ci![0] > 0 || ci![1] < 0 ? `; the 95\u00a0% CI excludes 0, but not after Holm over ${family} tests${looks > 1 ? ` × ${looks} rounds` : ''}` : '';
  const lead = d.margin === undefined ? `no clear difference in ${q.label} between` : `inconclusive on ${q.label} between`;
  return `${where}${lead} ${who} and ${versus} (mean ${signed(m)}${unit}, ${interval}; ${agree}/${n} seeds ${direction(m)}${excluded})${more}${unpaired}`;
}
