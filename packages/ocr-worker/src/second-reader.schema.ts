import { z } from 'zod';
import { lineText, SCHEDULES } from '@rxscan/contracts';

/** One printed value: a line of text, no control characters, no longer than any label prints. */
const printed = (max: number, description: string) => lineText().max(max).nullable().describe(description);

const shape = {
  name: printed(160, 'The drug name as printed (ingredient or brand, with salt such as HCl), without the strength; null if not on the label'),
  dosage: printed(60, 'The strength as printed, e.g. "10 mg", "5-325 mg", "400 mg/5 mL"; null if not on the label'),
  sig: printed(400, 'The directions for use as printed, e.g. "TAKE 1 TABLET BY MOUTH TWICE DAILY"; null if not on the label'),
  schedule: printed(60, `How often the directions say to take it, one of: ${SCHEDULES.join(', ')}; null if none fits`),
  quantity: z.number().nonnegative().max(100_000).nullable().describe('The quantity dispensed (QTY), a number; null if not on the label'),
  refills: z.number().int().nonnegative().max(99).nullable().describe('Refills left, a whole number (0 for "no refills"); null if not on the label'),
  prescriber: printed(120, 'The prescriber\'s name as printed; null if not on the label'),
  rx_number: printed(40, 'The prescription (Rx) number as printed; null if not on the label'),
};

/**
 * What the second reader must answer: the label's medication fields, each null when the label
 * does not show it. An answer that is not exactly this (a missing field, a number as text, a
 * control character, an overlong value) is discarded. Fields beyond these are ignored.
 */
export const readerAnswerSchema = z.object(shape);
export type ReaderAnswer = z.infer<typeof readerAnswerSchema>;
export type ReaderField = keyof ReaderAnswer;
export const READER_FIELDS = Object.keys(shape) as ReaderField[];

/** The same schema as JSON Schema, for the request's `response_format` (strict: every field required, no others). */
export const readerAnswerJsonSchema = (): Record<string, unknown> => {
  const { $schema: _, ...schema } = z.toJSONSchema(z.strictObject(shape), { unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
};
