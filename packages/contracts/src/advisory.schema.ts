import { z } from 'zod';

/**
 * What med-store says on `advisory.med-store.parked` when it parks an event: the projector
 * could not apply it (`invalid`: its schema refuses it; `failed`: applying it failed the same
 * way every try) and went on without it. The event itself stays on its stream at `seq`;
 * `ops parked show ID` shows it, `ops parked retry ID` applies it again, `ops parked drop ID`
 * lets it go.
 */
export const parkedAdvisorySchema = z.object({
  /** `<stream>-<seq>`, what `ops parked` takes. */
  id: z.string(),
  stream: z.string(),
  seq: z.int().min(1),
  subject: z.string(),
  reason: z.enum(['invalid', 'failed']),
  /** Why, in one line (control characters escaped, at most 500 characters). */
  error: z.string(),
  /** Tries before it was parked. */
  attempts: z.int().min(1),
  parked_at: z.iso.datetime({ offset: true }),
});
export type ParkedAdvisory = z.infer<typeof parkedAdvisorySchema>;
