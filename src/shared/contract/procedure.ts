import { type z } from 'zod';

/** One procedure of the contract: a name `domain.verb`, zod input and output, one-line doc. */
export interface Procedure<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly doc: string;
}

export function procedure<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): Procedure<I, O> {
  return { input, output, doc };
}
