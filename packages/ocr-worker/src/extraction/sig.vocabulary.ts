import { combine, LR, PRIOR_CAP } from './evidence.js';
import { ocrDistance, skeleton } from './ocr-confusion.js';

/**
 * Words that make up directions on US labels. A word Tesseract read that is exactly one of these
 * is very likely right even at modest OCR confidence; an unknown or numeric word is taken at its
 * OCR confidence, since "EVERY 6 HOURS" vs "EVERY 8 HOURS" turns on one glyph.
 */
export const SIG_VOCABULARY = new Set(
  (
    'TAKE TAKES USE APPLY INHALE INSTILL PLACE DISSOLVE CHEW INJECT SPRAY SPRAYS GIVE INSERT RUB MIX DRINK SWALLOW ' +
    'ONE TWO THREE FOUR FIVE SIX EIGHT TEN TWELVE HALF A AN THE ONCE TWICE TIMES TIME ' +
    'TABLET TABLETS TAB TABS CAPSULE CAPSULES CAP CAPS PUFF PUFFS DROP DROPS TEASPOONFUL TEASPOONFULS TABLESPOONFUL ML ' +
    'PATCH UNITS UNIT DOSE DOSES APPLICATION APPLICATOR THIN THINLY SPARINGLY LAYER SUPPOSITORY LOZENGE ' +
    'BY MOUTH ORALLY SUBLINGUALLY UNDER TONGUE IN INTO EACH BOTH EYE EYES EAR EARS NOSTRIL NOSTRILS AFFECTED AREA AREAS SKIN RECTALLY VAGINALLY ' +
    'DAILY DAY DAYS A DAY EVERY HOUR HOURS HRS WEEK WEEKLY MONTH MORNING EVENING NIGHT NIGHTLY BEDTIME AT PER ' +
    'AS NEEDED IF WHEN REQUIRED DIRECTED FOR PAIN NAUSEA VOMITING ITCHING SLEEP ANXIETY FEVER HEADACHE ALLERGIES COUGH WHEEZING SHORTNESS BREATH ' +
    'CHEST MIGRAINE SEIZURES BLOOD PRESSURE SUGAR INFECTION SWELLING ' +
    'WITH FOOD MEALS MEAL MILK WATER FULL GLASS OF ON EMPTY STOMACH BEFORE AFTER AND OR TO THEN UNTIL GONE FINISHED ALL DO NOT ' +
    'CRUSH CHEW SHAKE WELL FIRST NEXT FOLLOWED BY TODAY TOMORROW START STARTING ' +
    'SEVEN NINE ELEVEN TWENTY HOURLY WEEKS MONTHS MINUTES SAME MUSCLE SPASM SPASMS OTHER ALTERNATE EXTRA'
  ).split(' '),
);

/** Each directions word with its skeleton, made once: correctSigWord runs for every unknown word of every look. */
const VOCABULARY_SHAPES: [string, string][] = [...SIG_VOCABULARY].map((v) => [v, skeleton(v)]);

/**
 * The directions word a misread token most likely was ("morming" -> MORNING), or null. Only
 * longer tokens, one edit or two letters read as one look-alike ("moming": rn as m, in both looks
 * of a hard photo, fresh seed 115800, where the directions said no schedule; the skeleton), and
 * only when a single vocabulary word is that close.
 */
export function correctSigWord(token: string): string | null {
  const w = token.toUpperCase();
  if (w.length < 5 || !/^[A-Z]+$/.test(w) || SIG_VOCABULARY.has(w)) return null;
  const shape = skeleton(w);
  const near = VOCABULARY_SHAPES.filter(([v, vShape]) => (Math.abs(v.length - w.length) <= 1 && ocrDistance(w, v, 1) <= 1) || vShape === shape);
  return near.length === 1 ? near[0]![0] : null;
}

/** Confidence (0..1) that a directions word was read right. */
export function sigWordConfidence(text: string, ocr: number): number {
  const w = text.toUpperCase().replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/g, '');
  const prior = Math.min(ocr, PRIOR_CAP);
  if ((w.length >= 2 && SIG_VOCABULARY.has(w)) || w === 'A') return combine(prior, LR.sigVocabulary);
  return prior;
}
