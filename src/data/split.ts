import { shuffleInPlace, type Rng } from '../shared/rng.js';

/**
 * Split sample indices into train and validation, class by class, so every class appears in both
 * in proportion (the mnist package stores digits sorted by class: a tail split would hold one class).
 * @example stratifiedSplit(labels, 0.2, createRng(1, 'split')) → {train: Int32Array, validation: Int32Array}
 */
export function stratifiedSplit(labels: Int32Array, validationFraction: number, rng: Rng): { train: Int32Array; validation: Int32Array } {
  const train: number[] = [];
  const validation: number[] = [];
  // Element by element: spreading a class of a million samples into push() overflows the call stack.
  for (const members of indicesByClass(labels)) {
    shuffleInPlace(members, rng);
    const nVal = Math.round(members.length * validationFraction);
    for (let i = 0; i < members.length; i++) (i < nVal ? validation : train).push(members[i]!);
  }
  return { train: Int32Array.from(shuffleInPlace(train, rng) as number[]), validation: Int32Array.from(validation) };
}

/**
 * Keras' validation_split: the last `validationFraction` of the samples, in the order given, are
 * validation; the rest train. Nothing is shuffled or balanced: data stored in class or time order
 * gives a validation set unlike the training set, which is what this is for reproducing.
 * @example tailSplit(10, 0.2) → {train: [0…7], validation: [8, 9]}
 */
export function tailSplit(count: number, validationFraction: number): { train: Int32Array; validation: Int32Array } {
  const nVal = Math.round(count * validationFraction);
  const all = Int32Array.from({ length: count }, (_, i) => i);
  return { train: all.slice(0, count - nVal), validation: all.slice(count - nVal) };
}

/**
 * A seeded subset of `size` samples with class proportions kept (largest-remainder allocation).
 * @example stratifiedSubset(labels, 500, rng).length === 500
 */
export function stratifiedSubset(labels: Int32Array, size: number, rng: Rng): Int32Array {
  if (size >= labels.length) return Int32Array.from(labels.keys());
  const groups = indicesByClass(labels);
  const exact = groups.map((g) => (g.length * size) / labels.length);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; counts.reduce((s, c) => s + c, 0) < size; k++) counts[order[k % order.length]!.i]!++;
  const picked: number[] = [];
  groups.forEach((members, c) => {
    const shuffled = shuffleInPlace(members, rng) as number[];
    for (let i = 0; i < counts[c]!; i++) picked.push(shuffled[i]!);
  });
  return Int32Array.from(picked.sort((a, b) => a - b));
}

function indicesByClass(labels: Int32Array): number[][] {
  const groups: number[][] = [];
  labels.forEach((label, i) => (groups[label] ??= []).push(i));
  return groups.filter((g) => g !== undefined);
}
