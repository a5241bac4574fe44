// The live page's forms: every value arrives as a string (FormData), so ids are coerced.
import { z } from 'zod';

const sessionId = z.coerce.number({ error: 'form.invalid' }).int().positive({ error: 'form.invalid' });

export const assignSchema = z.object({
  sessionId,
  kfAccount: z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).max(64, { error: 'form.tooLong' }),
});

export const sessionActionSchema = z.object({ sessionId });
