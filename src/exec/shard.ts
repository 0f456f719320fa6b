/** `--shard I/N`: the I-th of N parts (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** @example parseShard('2/4') → {index: 2, count: 4} */
export function parseShard(text: string): Shard | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return { error: `expected I/N such as 1/4, got "${text}"` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return { error: `expected 1 ≤ I ≤ N, got ${index}/${count}` };
  return { index, count };
}

/**
 * Round-robin over the plan order: runs of one variant (its seeds) and cheap and expensive variants
 * spread across shards, and the split depends only on the plan.
 * @example inShard(4, {index: 1, count: 2}) === true
 */
export function inShard(planIndex: number, shard: Shard | undefined): boolean {
  return !shard || planIndex % shard.count === shard.index - 1;
}

/** The environment variables `--shard auto` reads: a Slurm job array's, a Kubernetes Indexed Job's. */
export const SCHEDULER_VARIABLES = [
  'SLURM_ARRAY_TASK_ID',
  'SLURM_ARRAY_TASK_MIN',
  'SLURM_ARRAY_TASK_MAX',
  'SLURM_ARRAY_TASK_COUNT',
  'SLURM_ARRAY_TASK_STEP',
  'JOB_COMPLETION_INDEX',
] as const;
export type SchedulerEnv = Partial<Record<(typeof SCHEDULER_VARIABLES)[number], string>>;

/** A shard, and where it came from when a scheduler's environment gave it. */
export type ShardChoice = Shard & { from?: string };

/**
 * `--shard I/N`, or `--shard auto` / `auto/N`: the shard a scheduler's array task is. Slurm: task
 * SLURM_ARRAY_TASK_ID of a contiguous array MIN–MAX is shard ID − MIN + 1 of MAX − MIN + 1 (so
 * `--array=1-4` and `--array=0-3` both give 1/4 … 4/4). Kubernetes: JOB_COMPLETION_INDEX (0-based)
 * is shard index + 1 of N, the Job's completions, which its environment does not hold: `auto/N`.
 * @example parseShardChoice('auto', {SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '4'}) → {index: 3, count: 4, from: …}
 */
export function parseShardChoice(text: string, env: SchedulerEnv): ShardChoice | { error: string } {
  const auto = /^auto(?:\/(\d+))?$/.exec(text.trim());
  if (!auto && /^auto\b/.test(text.trim())) return { error: `expected auto or auto/N with N ≥ 1, got "${text}"` };
  if (!auto) return parseShard(text);
  const given = auto[1] === undefined ? undefined : Number(auto[1]);
  if (given !== undefined && given < 1) return { error: `expected auto/N with N ≥ 1, got "${text}"` };
  const int = (name: keyof SchedulerEnv): number | undefined => (env[name] !== undefined && /^\d+$/.test(env[name]!.trim()) ? Number(env[name]) : undefined);
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const [id, min, max] = [int('SLURM_ARRAY_TASK_ID'), int('SLURM_ARRAY_TASK_MIN'), int('SLURM_ARRAY_TASK_MAX')];
    if (id === undefined || min === undefined || max === undefined)
      return {
        error: `SLURM_ARRAY_TASK_ID, _MIN and _MAX must be whole numbers (got ${env.SLURM_ARRAY_TASK_ID}, ${env.SLURM_ARRAY_TASK_MIN ?? 'unset'}, ${env.SLURM_ARRAY_TASK_MAX ?? 'unset'})`,
      };
    const span = max - min + 1;
    const step = int('SLURM_ARRAY_TASK_STEP') ?? 1;
    const count = int('SLURM_ARRAY_TASK_COUNT') ?? span;
    if (step !== 1 || count !== span)
      return {
        error: `the Slurm array is not contiguous (${count} tasks from ${min} to ${max}, step ${step}): --shard auto needs --array=${min}-${min + count - 1}; otherwise pass --shard I/N`,
      };
    if (given !== undefined && given !== count) return { error: `--shard auto/${given}, but the Slurm array has ${count} tasks (${min}-${max})` };
    if (id < min || id > max) return { error: `SLURM_ARRAY_TASK_ID=${id} is outside its array's ${min}-${max}` };
    return { index: id - min + 1, count, from: `SLURM_ARRAY_TASK_ID=${id} of ${min}-${max}` };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = int('JOB_COMPLETION_INDEX');
    if (index === undefined) return { error: `JOB_COMPLETION_INDEX must be a whole number, got "${env.JOB_COMPLETION_INDEX}"` };
    if (given === undefined)
      return {
        error:
          'JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but its environment does not say how many completions the Job has: pass --shard auto/N with N = spec.completions',
      };
    if (index >= given) return { error: `JOB_COMPLETION_INDEX=${index} is not below the ${given} completions of --shard auto/${given}` };
    return { index: index + 1, count: given, from: `JOB_COMPLETION_INDEX=${index}` };
  }
  return {
    error:
      'found no array task in the environment: SLURM_ARRAY_TASK_ID (a Slurm job array) and JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) are unset; outside a scheduler pass --shard I/N',
  };
}
