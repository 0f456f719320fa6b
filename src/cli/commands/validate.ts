import { planOrExit } from '../plan-or-exit.js';
import type { Terminal } from '../terminal.js';
import { formatFactorValue, variantLabel } from '../../shared/factor-value.js';

interface ValidateOptions {
  set: string[];
  maxMemory?: string;
  json?: boolean;
}

/** Check a spec and list the runs it expands to. */
export async function validateCommand(file: string, options: ValidateOptions, term: Terminal): Promise<number> {
  const { spec, plan } = await planOrExit(file, options.set, term, options.maxMemory);
  if (options.json) {
    term.stdout(JSON.stringify({ name: plan.name, factors: plan.factorNames, seeds: plan.seeds, ...(spec.adaptiveSeeds ? { adaptive_seeds: spec.adaptiveSeeds } : {}), runs: plan.runs.map((r) => ({ id: r.id, factors: r.config.factors, seed: r.config.seed })) }, null, 2) + '\n');
    return 0;
  }
  const variants = spec.variants.length;
  const lines = [
    `${file}: valid. ${plan.runs.length} run${plan.runs.length === 1 ? '' : 's'} = ${variants} variant${variants === 1 ? '' : 's'} × ${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'} (${plan.seeds.join(', ')})`,
    ...(spec.adaptiveSeeds ? [`seeds until decided: then ${spec.adaptiveSeeds.step} more at a time for the variants of inconclusive comparisons, up to ${spec.adaptiveSeeds.max} (${variants * spec.adaptiveSeeds.max} runs at most)`] : []),
    plan.factorNames.length ? `varying: ${plan.factorNames.map((f) => `${f} ∈ {${[...new Set(spec.variants.map((v) => formatFactorValue(v.factors[f])))].join(', ')}}`).join(', ')}` : 'no grid: a single variant',
    ...spec.variants.map((v, i) => `  ${String(i + 1).padStart(3)}. ${variantLabel(v.factors)}`),
    `runs (results/${plan.name}/runs/<id>):`,
    ...plan.runs.map((r) => `  ${r.id}`),
  ];
  term.stdout(lines.join('\n') + '\n');
  return 0;
}
