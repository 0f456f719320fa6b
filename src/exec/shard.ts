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
