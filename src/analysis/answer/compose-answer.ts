import { canonicalJson } from '../../shared/canonical-json.js';
import type { FactorValue } from '../../shared/factor-value.js';
import type { Comparison } from '../compare.js';
import { ALPHA } from '../decision.js';
import { largerIsBetter } from '../../shared/quantity.js';
import type { VariantDiagnosis } from '../diagnose.js';
import type { Trend } from '../trends.js';
import { describeWhere, everywhere, formatLevel } from './where.js';
import { effectPhrase, isConvergenceQuantity, plainLabel, short, spanPhrase } from './effect-phrase.js';
import { trendLines } from './trend-lines.js';
import { doctorLines } from './doctor-lines.js';
import { SIDES, sideOf } from './sides.js';

type Setting = Record<string, FactorValue>;

interface AnswerInput {
  /** report.compare's factors the runs differ in, in its order. */
  compare: string[];
  /** report.compare's factors the runs do not differ in (a --set left one level): nothing to compare along them. */
  unvaried?: string[];
  /** Each factor's levels in the grid's order (for "at hidden=50–1024"). */
  levels: Record<string, FactorValue[]>;
  comparisons: Comparison[];
  trends: Trend[];
  /** The variants' factors, by variant index (diagnoses and run counts refer to them). */
  variants: Array<{ factors: Setting }>;
  /** Per variant: its runs by status, and each column's best epoch over seeds (when a doctor's finding starts). */
  counts: Array<{ runs: number; ok: number; diverged: number; failed: number; missing: number; metrics?: Record<string, { best_epoch_mean: number | null }> }>;
  diagnoses: VariantDiagnosis[];
  /** Seeds: the most any variant has, and seeds until decided's max when the spec has it. */
  seeds: { most: number; adaptiveMax?: number };
}

/**
 * The answer to the spec's question, in a few plain sentences composed only from this result set's
 * verdicts and the doctor's findings: per compared factor and side (training, validation), which
 * way, by how much and in how many seeds; what is equivalent; what is undecided and the seeds that
 * would decide it; the doctor's cause where a finding differs between the levels compared. Levels
 * that agree are grouped ("at hidden=50–1024"); a large grid is summarized by where an effect
 * holds, never listed group by group.
 * @example composeAnswer({compare: ['bn'], …})[0] === 'Training — bn=true vs bn=false: faster at hidden=50–1024 (…)'
 */
export function composeAnswer(input: AnswerInput): string[] {
  const lines: string[] = [];
  if (input.compare.length === 0) {
    const factors = Object.keys(input.variants[0]?.factors ?? {});
    const unvaried = input.unvaried ?? [];
    if (unvaried.length)
      lines.push(
        `Nothing was compared: the runs here do not differ in ${unvaried.length > 1 ? `${unvaried.slice(0, -1).join(', ')} or ${unvaried[unvaried.length - 1]}` : unvaried[0]}.`,
      );
    else
      lines.push(
        factors.length
          ? `Nothing was compared: report.compare names no factor (one of: ${factors.join(', ')}).`
          : 'Nothing was compared: the runs here do not differ in any factor.',
      );
  }
  for (const factor of input.compare) {
    const trends = input.trends.filter((t) => t.factor === factor);
    if (trends.length) lines.push(...trendLines(trends, input.levels));
    const mine = input.comparisons.filter((c) => c.factor === factor);
    const levels = [...new Map(mine.map((c) => [canonicalJson(c.level), c.level])).values()];
    // Several factors at once: each one's line says where it matters and counts the rest, so the answer stays short.
    const compact = input.compare.length > 1;
    for (const level of levels)
      lines.push(
        ...levelLines(
          mine.filter((c) => canonicalJson(c.level) === canonicalJson(level)),
          input.levels,
          compact,
        ),
      );
  }
  if (input.seeds.most < 2 && input.comparisons.length)
    lines.push(`With one seed per variant nothing can be claimed: the differences above are one run each. Run several: --set 'sweep.seeds=[1, 2, 3, 4, 5]'.`);
  lines.push(...lostRunsLines(input));
  lines.push(...undecidedLine(input));
  lines.push(
    ...doctorLines(
      input.compare,
      input.variants.map((v, i) => ({ ...v, metrics: input.counts[i]?.metrics })),
      input.diagnoses,
      input.levels,
      input.compare.length > 1 ? 2 : undefined,
    ),
  );
  return lines;
}

/** One line per side for `factor=level` against its baseline. */
function levelLines(comparisons: Comparison[], levels: Record<string, FactorValue[]>, compact: boolean): string[] {
  const { factor, level, baseline } = comparisons[0]!;
  const versus = `${factor}=${formatLevel(factor, level, levels)} vs ${formatLevel(factor, baseline, levels)}`;
  const all = uniqueSettings(comparisons.map((c) => c.others));
  const out: string[] = [];
  for (const side of SIDES) {
    const onSide = comparisons.filter((c) => sideOf(c.quantity.column) === side);
    if (onSide.length === 0) continue;
    out.push(`${side} — ${versus}: ${sideSentence(onSide, all, levels, compact)}.`);
  }
  return out;
}

type Status = 'better' | 'worse' | 'mixed' | 'equivalent' | 'same' | 'undecided' | 'no data';

/**
 * How the answer reads one comparison: a difference that matters, one too small to matter (shown
 * equivalent, or inside the spec's margin), equivalent, the same value in every seed without enough
 * seeds to claim it, one way in every seed without enough seeds to claim it, open, or nothing.
 */
type Reading = 'better' | 'worse' | 'negligible' | 'equivalent' | 'same' | 'unanimous' | 'open' | 'no data';

function readingOf(c: Comparison): Reading {
  if (c.outcome === 'no data') return 'no data';
  if (c.outcome === 'equivalent') return 'equivalent';
  const centre = c.method === 'signed-rank' ? (c.rank?.median ?? 0) : (c.stats.meanDifference ?? 0);
  if (c.outcome === 'better' || c.outcome === 'worse') {
    const shownSmall = c.pEquivalentAdjusted !== undefined && c.pEquivalentAdjusted !== null && c.pEquivalentAdjusted < ALPHA;
    const insideMargin = c.margin !== undefined && !c.marginIsDefault && Math.abs(centre) < c.margin;
    return shownSmall || insideMargin ? 'negligible' : c.outcome;
  }
  if (c.differences.length >= 2 && c.differences.every((d) => d === 0)) return 'same';
  if (c.differences.length >= 2 && (c.differences.every((d) => d > 0) || c.differences.every((d) => d < 0))) return 'unanimous';
  return 'open';
}

/** What one side says across the settings of the other factors, grouped by what happened where. */
function sideSentence(comparisons: Comparison[], all: Setting[], levels: Record<string, FactorValue[]>, compact: boolean): string {
  const bySetting = new Map<string, Comparison[]>();
  for (const c of comparisons) bySetting.set(canonicalJson(c.others), [...(bySetting.get(canonicalJson(c.others)) ?? []), c]);
  const status = (cs: Comparison[]): Status => {
    const readings = cs.map(readingOf);
    const better = readings.includes('better');
    const worse = readings.includes('worse');
    if (better && worse) return 'mixed';
    if (better || worse) return better ? 'better' : 'worse';
    const measured = readings.filter((r) => r !== 'no data');
    if (measured.length === 0) return 'no data';
    if (measured.every((r) => r === 'equivalent' || r === 'negligible')) return 'equivalent';
    if (measured.every((r) => r === 'equivalent' || r === 'negligible' || r === 'same')) return 'same';
    return 'undecided';
  };
  const groups = new Map<Status, Setting[]>();
  for (const cs of bySetting.values()) groups.set(status(cs), [...(groups.get(status(cs)) ?? []), cs[0]!.others]);
  const where = (settings: Setting[]) => describeWhere(settings, all, levels) || everywhere(all);
  const claims = ['better', 'worse', 'mixed'].some((s) => groups.has(s as Status));
  // Beside a claim, the rest is said briefly: where, without the detail of a partial match.
  const brief = (settings: Setting[]) => (claims ? where(settings).replace(/ \(all \d+ where .*\)$/, '') : where(settings));
  const within = (settings: Setting[]) => comparisons.filter((c) => settings.some((s) => canonicalJson(s) === canonicalJson(c.others)));
  const parts: string[] = [];
  // Compact: a quantity is named once per sentence; after that "higher by …" says enough.
  const named = new Set<string>();
  const phrase = (cs: Comparison[]) => {
    const first = !named.has(cs[0]!.quantity.label);
    named.add(cs[0]!.quantity.label);
    return effectPhrase(cs, { relative: !compact, seeds: !compact, named: !compact || first });
  };
  for (const s of ['better', 'worse'] as const) {
    const settings = groups.get(s);
    if (!settings) continue;
    const mine = within(settings);
    const claimed = mine.filter((c) => readingOf(c) === s);
    const speed = claimed.every((c) => isConvergenceQuantity(c.quantity));
    const word = speed ? (s === 'better' ? 'faster' : 'slower') : s;
    const ofAll = (cs: Comparison[]) => (cs.length < settings.length ? ` (${cs.length} of ${settings.length} settings)` : '');
    // One way in every seed, not enough seeds to claim it: said, as such, beside the claims.
    const pointsThisWay = (c: Comparison) => (centreOf(c) > 0 === largerIsBetter(c.quantity)) === (s === 'better');
    const unanimous = byQuantity(mine.filter((c) => readingOf(c) === 'unanimous' && pointsThisWay(c)));
    const also = unanimous.length ? `; also ${unanimous.map((cs) => effectPhrase(cs)).join(' and ')} (not claimed: too few seeds for this many tests)` : '';
    parts.push(
      `${word} ${where(settings)}`.trim() +
        `, ${byQuantity(claimed)
          .map((cs, i) => `${i === 0 && (!compact || !named.has(cs[0]!.quantity.label)) ? 'with ' : ''}${phrase(cs)}${compact ? '' : ofAll(cs)}`)
          .join(' and ')}${compact ? '' : also}`,
    );
  }
  if (compact && claims) {
    // The settings without a claim, counted: the verdict table has each.
    // The settings without a claim, in one count: the verdict table says which is which.
    const rest = (['equivalent', 'same', 'undecided'] as const).reduce((n, s) => n + (groups.get(s)?.length ?? 0), 0);
    if (rest) parts.push(`no clear difference in the other ${rest}`);
    return parts.map((p) => p.replace(/\s+/g, ' ').trim()).join('; ');
  }
  const mixed = groups.get('mixed');
  if (mixed)
    parts.push(
      `mixed ${where(mixed)} (${byQuantity(within(mixed).filter((c) => ['better', 'worse'].includes(readingOf(c))))
        .map((cs) => `${cs[0]!.outcome} on ${plainLabel(cs[0]!.quantity)}`)
        .join(', ')})`,
    );
  const equivalent = groups.get('equivalent');
  if (equivalent) {
    const groups = byQuantity(within(equivalent)).filter((cs) => cs[0]!.margin !== undefined);
    const defaults = groups.some((cs) => cs.some((c) => c.marginIsDefault));
    const margins = groups
      .slice(0, 2)
      .map((cs) => `±${short(Math.max(...cs.map((c) => c.margin!)), cs[0]!.quantity.kind === 'epochs')} on ${plainLabel(cs[0]!.quantity)}`);
    const detail = claims ? '' : ` (within ${margins.join(' and ')}${defaults ? ', default margins: half the seed-to-seed spread' : ''})`;
    parts.push(`no practical difference ${brief(equivalent)}${detail}`);
  }
  const same = groups.get('same');
  if (same) parts.push(`the same in every seed ${brief(same)} (not claimed: too few seeds for this many tests)`);
  const undecided = groups.get('undecided');
  if (undecided) {
    // The span quoted is of a difference seen (open, or one way in every seed), not of one that is the same in every seed.
    const inconclusive = within(undecided).filter((c) => c.outcome === 'inconclusive');
    const seen = inconclusive.filter((c) => readingOf(c) === 'open' || readingOf(c) === 'unanimous');
    const open = seen.length ? seen : inconclusive;
    const place = brief(undecided);
    const spans = byQuantity(open).filter((cs) => cs.some((c) => c.method !== 'signed-rank'));
    parts.push(`undecided ${place}${claims ? '' : ` (${(spans.length ? spans : byQuantity(open)).slice(0, 1).map(spanPhrase).join('')})`}`);
  }
  const none = groups.get('no data');
  if (none && parts.length === 0) parts.push(`nothing to compare ${where(none)} (${noDataReason(within(none))})`);
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).join('; ');
}

function centreOf(c: Comparison): number {
  return c.method === 'signed-rank' ? (c.rank?.median ?? 0) : (c.stats.meanDifference ?? 0);
}

function noDataReason(comparisons: Comparison[]): string {
  const threshold = comparisons.find((c) => c.quantity.kind === 'epochs');
  return threshold ? `neither side reached ${threshold.quantity.label.replace(/^epochs to /, '')}` : 'no seed finished on both sides';
}

/** Comparisons grouped by quantity, in their first appearance's order. */
function byQuantity(comparisons: Comparison[]): Comparison[][] {
  const groups = new Map<string, Comparison[]>();
  for (const c of comparisons) groups.set(c.quantity.label, [...(groups.get(c.quantity.label) ?? []), c]);
  return [...groups.values()];
}

function uniqueSettings(settings: Setting[]): Setting[] {
  return [...new Map(settings.map((s) => [canonicalJson(s), s])).values()];
}

/** Runs that diverged or failed are not in any comparison: say how many and where. */
function lostRunsLines(input: AnswerInput): string[] {
  const out: string[] = [];
  for (const kind of ['diverged', 'failed'] as const) {
    const hit = input.counts.map((c, i) => ({ c, i })).filter(({ c }) => c[kind] > 0);
    if (hit.length === 0) continue;
    const runs = hit.reduce((n, { c }) => n + c[kind], 0);
    const of = hit.reduce((n, { c }) => n + c.runs, 0);
    const where = describeWhere(
      hit.map(({ i }) => input.variants[i]!.factors),
      input.variants.map((v) => v.factors),
      input.levels,
    );
    const what = kind === 'diverged' ? 'diverged (the loss became NaN or infinite)' : 'failed';
    out.push(
      `${runs} of ${of} runs ${where ? `${where.replace(/^at /, 'with ').replace(/^where /, 'with ')} ` : ''}${what}; they are left out of the comparisons${kind === 'diverged' ? ' (nnlab doctor says why)' : ''}.`,
    );
  }
  return out;
}

/** What would decide what is still open: the seeds the spread asks for, and the --set that gets them. */
function undecidedLine(input: AnswerInput): string[] {
  const open = [...input.comparisons.filter((c) => c.outcome === 'inconclusive'), ...input.trends.filter((t) => t.outcome === 'no trend')];
  if (open.length === 0 || input.seeds.most < 2) return [];
  const needs = open.map((c) => c.seedsToDecide).filter((n): n is number => typeof n === 'number');
  const most = needs.length ? Math.max(...needs) : null;
  const total = open.length;
  const what = `${total} comparison${total === 1 ? ' is' : 's are'} undecided with ${input.seeds.most} seeds`;
  if (most === null) return [`${what}: the differences left are too small against the seed-to-seed spread to decide with a practical number of seeds.`];
  // The seeds that decide half of what is open: the far end of the range may be hundreds.
  const sorted = [...needs].sort((a, b) => a - b);
  const half = Math.min(200, sorted[Math.floor((sorted.length - 1) / 2)]!);
  const flag =
    input.seeds.adaptiveMax !== undefined ? `--set sweep.seeds.max=${half}` : `--set 'sweep.seeds={min: ${input.seeds.most}, max: ${half}, until: decided}'`;
  const range = needs.length > 1 && Math.min(...needs) !== most ? `${Math.min(...needs)}–${most}` : String(most);
  const halfNote = needs.length > 1 && half < most ? ` (half of them ${half} or fewer)` : '';
  return [`${what}; about ${range} seeds would likely decide ${total === 1 ? 'it' : 'them'}${halfNote}: ${flag}.`];
}
