// zod pieces for what a form sends (see form-data.ts): every value is a string, an unticked box
// sends nothing, and a list may arrive as one value, several, or not at all.
import { z } from 'zod';

/** A list field: absent → [], one value → [value], several → as sent. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}

/** A checkbox: ticked sends its value ("on" unless set), unticked sends nothing. */
export function checkbox() {
  return z
    .stringbool()
    .optional()
    .transform((value) => value ?? false);
}
