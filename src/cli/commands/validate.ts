import { planOrExit } from '../plan-or-exit.js';
import { roundsOf } from '../../pipeline/view-context.js';
import type { Terminal } from '../terminal.js';
import { formatFactorValue, variantLabel } from '../../shared/factor-value.js';
import { wrapText } from '../../shared/wrap-text.js';

interface ValidateOptions {
  set: string[];
  maxMemory?: string;
  json?: boolean;
}

/** Check a spec and list the runs it expands to. */
export async function validateCommand(file: string, options: ValidateOptions, term: Terminal): Promise<number> {
  const { spec, plan } = await planOrExit(file, options.set, term, options.maxMemory);
  if (options.json) {
    // rounds: how many sharded arrays a cluster recipe submits (one a round of seeds until decided).
    term.stdout(
      JSON.stringify(
        {
          name: plan.name,
          factors: plan.factorNames,
          seeds: plan.seeds,
          ...(spec.adaptiveSeeds ? { adaptive_seeds: spec.adaptiveSeeds } : {}),
          rounds: spec.adaptiveSeeds ? roundsOf(spec.adaptiveSeeds) : 1,
          runs: plan.runs.map((r) => ({ id: r.id, factors: r.config.factors, seed: r.config.seed })),
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const variants = spec.variants.length;
  const width = term.stdoutWidth ?? Infinity;
  const fit = (line: string, hanging = '  ') => (Number.isFinite(width) ? wrapText(line, width, hanging) : line);
  const ids = plan.runs.map((r) => `  ${r.id}`);
  // Run ids are one word each: where they do not fit the terminal they are not cut, but left to --json.
  const idLines = ids.every((l) => l.length <= width)
    ? [`runs (results/${plan.name}/runs/<id>):`, ...ids]
    : [fit(`runs: results/${plan.name}/runs/<id>, ids too wide for this terminal (nnlab validate --json lists them, as does output to a pipe)`)];
  const lines = [
    fit(
      `${file}: valid. ${plan.runs.length} run${plan.runs.length === 1 ? '' : 's'} = ${variants} variant${variants === 1 ? '' : 's'} × ${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'} (${plan.seeds.join(', ')})`,
    ),
    ...(spec.adaptiveSeeds
      ? [
          fit(
            `seeds until decided: then ${spec.adaptiveSeeds.step} more at a time for the variants of inconclusive comparisons, up to ${spec.adaptiveSeeds.max} (${variants * spec.adaptiveSeeds.max} runs at most)`,
          ),
        ]
      : []),
    fit(
      plan.factorNames.length
        ? `varying: ${plan.factorNames.map((f) => `${f} ∈ {${[...new Set(spec.variants.map((v) => formatFactorValue(v.factors[f])))].join(', ')}}`).join(', ')}`
        : 'no grid: a single variant',
    ),
    ...spec.variants.map((v, i) => fit(`  ${String(i + 1).padStart(3)}. ${variantLabel(v.factors)}`, '       ')),
    ...idLines,
  ];
  term.stdout(lines.join('\n') + '\n');
  return 0;
}
