/** The sides of the evidence, each answered on its own: training curves can say "faster" while validation says nothing. */
export const SIDES = ['Training', 'Validation', 'Held-out test'] as const;

type Side = (typeof SIDES)[number];

/** Which side a history column (or a held-out test metric) speaks for. @example sideOf('val_loss') === 'Validation' */
export function sideOf(column: string): Side {
  return column.startsWith('val_') ? 'Validation' : column.startsWith('test_') ? 'Held-out test' : 'Training';
}
