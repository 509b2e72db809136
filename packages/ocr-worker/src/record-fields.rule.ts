import { medicationSchema, RECORD_FIELDS, type Medication, type RecordField } from '@rxscan/contracts';

/** What the extractor read of a label's fill record, and how sure it is of each field (0..1). */
export interface RecordReading {
  values?: Partial<Record<RecordField, unknown>>;
  confidence?: Partial<Record<RecordField, number>>;
}

/**
 * The fill record as `ocr.completed` carries it: every field present, null where the label
 * gave none. A value its schema refuses (a date that is no day, a control character, too
 * long) is left out with confidence 0, rather than making the whole reading unpublishable.
 */
export function recordFieldsOf(reading: RecordReading = {}): { medication: Pick<Medication, RecordField>; confidence: Partial<Record<RecordField, number>> } {
  const medication = {} as Record<RecordField, unknown>;
  const confidence: Partial<Record<RecordField, number>> = {};
  for (const field of RECORD_FIELDS) {
    const value = reading.values?.[field] ?? null;
    const ok = value !== null && medicationSchema.shape[field].safeParse(value).success;
    medication[field] = ok ? value : null;
    const c = reading.confidence?.[field];
    if (typeof c === 'number' && Number.isFinite(c)) confidence[field] = ok ? Math.min(1, Math.max(0, c)) : 0;
  }
  return { medication: medication as Pick<Medication, RecordField>, confidence };
}
