import type { Medication, Schedule } from '@rxscan/contracts';
import { sentence } from './api.errors.js';

/** A schedule as people say it. */
const SPOKEN: Record<Schedule, string> = {
  'Once daily': 'once a day',
  'Twice daily': 'twice a day',
  'Three times daily': 'three times a day',
  'Four times daily': 'four times a day',
  'Every 4 hours': 'every 4 hours',
  'Every 6 hours': 'every 6 hours',
  'Every 8 hours': 'every 8 hours',
  'Every 12 hours': 'every 12 hours',
  'At bedtime': 'at bedtime',
  'Once weekly': 'once a week',
};

const NUMBER_WORDS: Record<string, string> = { one: '1', two: '2', three: '3', four: '4', five: '5', half: '½', '1/2': '½' };
const VERB = /\b(take|use|apply|inhale|insert|instill|place|chew|dissolve|inject|spray)\b/;
const AMOUNT = /\b(?:take|use|apply|inhale|insert|instill|place|chew|dissolve|inject|spray)\s+(\d+(?:\.\d+)?|one|two|three|four|five|half|1\/2|½)\s+([a-z]+)/;
/** Words after the amount that are not a unit ("take 1 by mouth"). */
const NOT_A_UNIT = new Set(['by', 'in', 'to', 'at', 'every', 'each', 'daily', 'once', 'twice', 'times', 'a', 'per', 'with', 'and']);

export type DirectionsInput = Pick<Medication, 'sig' | 'schedule' | 'as_needed' | 'instructions'>;

/**
 * The directions as the reader understood them, in one plain sentence built from the
 * structured fields ("Take 1 tablet three times a day"), so a person can compare it with
 * the label as printed. Null when no schedule was understood.
 */
export function understoodDirections(m: DirectionsInput): string | null {
  const when = [m.schedule ? SPOKEN[m.schedule] : null, m.as_needed ? 'when needed' : null].filter(Boolean).join(', ');
  if (!when) return null;
  const sig = (m.sig ?? '').toLowerCase();
  const verb = VERB.exec(sig)?.[1] ?? 'take';
  const amount = AMOUNT.exec(sig);
  const dose = amount && !NOT_A_UNIT.has(amount[2]!) ? `${NUMBER_WORDS[amount[1]!] ?? amount[1]} ${amount[2]}` : null;
  const main = [verb, dose, when].filter(Boolean).join(' ');
  const text = main.charAt(0).toUpperCase() + main.slice(1);
  const extra = m.instructions?.trim();
  return extra ? `${text}. ${sentence(extra)}` : text;
}
