/** Accuracy-like columns improve upwards; loss and error columns downwards. @example higherIsBetter('val_accuracy') === true */
export function higherIsBetter(column: string): boolean {
  return /accuracy/.test(column);
}
