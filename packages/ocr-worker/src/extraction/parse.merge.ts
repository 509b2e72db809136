import type { DrugField, Medication } from '@rxscan/contracts';
import type { ParsedLabel } from './label.parser.js';

/** Two readings that disagree on a field leave it below certain, whatever each thought. */
export const DISAGREEMENT_CAP = 0.7;

type Field = DrugField;

/** Equal field values, ignoring case, spacing and punctuation in strings. */
export const sameValue = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase().replace(/\W+/g, '') === b.toLowerCase().replace(/\W+/g, '') : a === b;

export interface MergedLabel {
  parsed: ParsedLabel;
  /** Which reading each field's value came from. */
  from: Record<Field, 'a' | 'b'>;
  /** Fields both readings found with the same value: read twice, so already cross-checked. */
  agreed: Set<Field>;
}

/**
 * Combines two readings of the same label field by field: a field only one reading found is
 * taken from it; where both found it, the more confident reading wins, and a disagreement caps
 * the confidence so the label goes to review. Agreement does not raise confidence on its own.
 */
export function mergeParsed(a: ParsedLabel, b: ParsedLabel): MergedLabel {
  const medication = { ...a.medication } as Record<Field, unknown>;
  const confidence = { ...a.confidence };
  const evidence = { ...a.evidence };
  const from = {} as Record<Field, 'a' | 'b'>;
  const agreed = new Set<Field>();
  for (const f of Object.keys(a.medication) as Field[]) {
    const [va, vb, ca, cb] = [a.medication[f], b.medication[f], a.confidence[f], b.confidence[f]];
    const takeB = vb !== null && (va === null || cb > ca);
    from[f] = takeB ? 'b' : 'a';
    if (takeB) {
      medication[f] = vb;
      confidence[f] = cb;
      evidence[f] = b.evidence?.[f];
    }
    if (va !== null && vb !== null) {
      if (sameValue(va, vb)) agreed.add(f);
      else confidence[f] = Math.min(confidence[f], DISAGREEMENT_CAP);
    }
  }
  return { parsed: { medication: medication as Medication, confidence, evidence }, from, agreed };
}
