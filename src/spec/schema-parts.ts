/** Schema pieces every part of the spec uses; messages say what was expected, validate.ts appends what was given ("got -3"). */
import { z } from 'zod';
import { closest } from './closest-name.js';

export const didYouMean = (text: string, names: readonly string[]) => {
  const near = closest(text, names);
  return near ? ` (did you mean "${near}"?)` : '';
};

export const positiveInt = (what = 'a positive integer') =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
export const nonNegativeNumber = z.number({ error: 'expected a number' }).nonnegative({ error: 'expected a number ≥ 0' });
export const fraction = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .gt(0, { error: `expected ${what}` })
    .lt(1, { error: `expected ${what}` });
export const learningRate = z.number({ error: 'expected a positive learning rate' }).positive({ error: 'expected a positive learning rate' });
export const bool = z.boolean({ error: 'expected true or false' });
