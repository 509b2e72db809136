import {
  cleanText,
  MAX_FIELD_ALTERNATIVES,
  MEDICATION_FIELDS,
  needsReview,
  type FieldAlternatives,
  type FieldBox,
  type FieldBoxes,
  type Medication,
} from '@rxscan/contracts';
import { combine, DISAGREEMENT_CAP, round } from './extraction/evidence.js';

type Field = keyof Medication;

/** What one photo of the bottle gave: every field (null where not read), its confidence, where each was read. */
export interface PhotoReading {
  medication: Medication;
  /** Per field, 0..1. */
  confidence: Partial<Record<string, number>>;
  /** Per field, the box on this photo (fractions of the upright photo). */
  boxes?: Partial<Record<Field, Omit<FieldBox, 'image'>>>;
  ocr_text: string;
}

export interface MergedReading {
  medication: Medication;
  confidence: Record<string, number>;
  needs_review: boolean;
  /** Per field, the values other photos read where they differ from the one kept; absent when all agreed. */
  alternatives?: FieldAlternatives;
  /** Per field, the box on the photo the kept value came from. */
  boxes: FieldBoxes;
  /** Each photo's text, headed by which photo it is. */
  ocr_text: string;
}

/**
 * Two photos of the same label that read the same value are two looks through different pixels
 * (another angle, another part of the curve, other glare), but the same fonts through the same
 * reader, so a misread a font invites can repeat: worth less than a re-read of the line
 * (LR.rereadAgrees = 8), more than two preprocessings of one photo (LR.passesAgree = 1).
 */
export const PHOTOS_AGREE = 4;

/** Equal values, ignoring case, spacing and punctuation in text (as the extractor compares passes). */
export const sameReading = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase().replace(/\W+/g, '') === b.toLowerCase().replace(/\W+/g, '') : a === b;

/** An alternative's value as the contract takes it: one line, at most 500 characters. */
const asAlternative = (v: unknown): string | number | boolean | null =>
  typeof v === 'string' ? cleanText(v).replace(/\s+/g, ' ').trim().slice(0, 500) : (v as number | boolean | null);

const photoName = (i: number) => `photo ${i + 1}`;

/**
 * Several photos of one bottle, merged field by field. Per field, the photos that read a value
 * are grouped by value; each group's evidence is its best photo's confidence, raised by
 * PHOTOS_AGREE for every other photo that read the same; the strongest group is kept, with the
 * box from its best photo. Where photos read different values, the field is never certain
 * (capped at DISAGREEMENT_CAP, below the review threshold, for critical fields and the rest
 * alike) and each other value is offered as an alternative from the photo that read it best.
 * Pure; one photo comes back as it was.
 */
export function mergePhotoReadings(photos: readonly PhotoReading[]): MergedReading {
  if (photos.length === 0) throw new Error('no photos to merge');
  const medication = {} as Record<Field, unknown>;
  const confidence: Record<string, number> = {};
  const alternatives: FieldAlternatives = {};
  const boxes: FieldBoxes = {};
  for (const field of MEDICATION_FIELDS) {
    const groups: { value: unknown; photos: number[]; evidence: number }[] = [];
    photos.forEach((p, i) => {
      const value = p.medication[field] ?? null;
      if (value === null) return;
      const group = groups.find((g) => sameReading(g.value, value));
      if (group) group.photos.push(i);
      else groups.push({ value, photos: [i], evidence: 0 });
    });
    const conf = (i: number) => photos[i]!.confidence[field] ?? 0;
    for (const g of groups) {
      g.photos.sort((a, b) => conf(b) - conf(a) || a - b);
      const best = conf(g.photos[0]!);
      g.evidence = g.photos.length > 1 && best > 0 ? round(combine(best, PHOTOS_AGREE ** (g.photos.length - 1))) : best;
    }
    groups.sort((a, b) => b.evidence - a.evidence || b.photos.length - a.photos.length || a.photos[0]! - b.photos[0]!);
    const [kept, ...others] = groups;
    if (!kept) {
      medication[field] = null;
      const seen = photos.map((p) => p.confidence[field]).filter((c): c is number => typeof c === 'number');
      if (seen.length) confidence[field] = 0;
      continue;
    }
    const from = kept.photos[0]!;
    // The value as the best photo printed it (the group's values differ only in case or spacing).
    medication[field] = photos[from]!.medication[field];
    confidence[field] = others.length ? Math.min(kept.evidence, DISAGREEMENT_CAP) : kept.evidence;
    if (others.length) alternatives[field] = others.slice(0, MAX_FIELD_ALTERNATIVES).map((g) => ({ value: asAlternative(g.value), source: photoName(g.photos[0]!) }));
    const box = photos[from]!.boxes?.[field];
    if (box) boxes[field] = { image: from, ...box };
  }
  const merged = medication as Medication;
  return {
    medication: merged,
    confidence,
    needs_review: needsReview(merged, confidence),
    ...(Object.keys(alternatives).length > 0 && { alternatives }),
    boxes,
    ocr_text: photos.length === 1 ? photos[0]!.ocr_text : photos.map((p, i) => `--- ${photoName(i)} ---\n${p.ocr_text}`).join('\n'),
  };
}
