import type { DrugKind } from './pools.js';
import type { Random } from './random.js';

export type Schedule =
  | 'Once daily' | 'Twice daily' | 'Three times daily' | 'Four times daily'
  | 'Every 4 hours' | 'Every 6 hours' | 'Every 8 hours' | 'Every 12 hours' | 'At bedtime' | 'Once weekly';

export interface Directions {
  /** As printed (before any line wrapping), in the label's case. */
  sig: string;
  schedule: Schedule;
  as_needed: boolean;
  /** Units taken per dose (tablets, mL, puffs, units, drops), to make a consistent quantity. */
  perDose: number;
  /** Doses per day at most. */
  perDay: number;
}

/** The ways a schedule is written on labels, US/CA style. */
const PHRASES: Record<Schedule, string[]> = {
  'Once daily': ['ONCE DAILY', 'DAILY', 'EVERY DAY', 'ONCE A DAY', 'ONE TIME DAILY', '1 TIME A DAY', 'DAILY IN THE MORNING', 'EVERY MORNING', 'IN THE MORNING', 'EACH DAY', 'ONCE DAILY WITH BREAKFAST', 'EVERY EVENING', 'QD'],
  'Twice daily': ['TWICE DAILY', 'TWICE A DAY', '2 TIMES A DAY', 'TWO TIMES DAILY', 'BID', 'EVERY MORNING AND EVENING', '2 TIMES DAILY'],
  'Three times daily': ['THREE TIMES DAILY', '3 TIMES A DAY', 'THREE TIMES A DAY', 'TID', '3 TIMES DAILY'],
  'Four times daily': ['FOUR TIMES DAILY', '4 TIMES A DAY', 'FOUR TIMES A DAY', 'QID'],
  'Every 4 hours': ['EVERY 4 HOURS', 'EVERY FOUR HOURS', 'Q4H'],
  'Every 6 hours': ['EVERY 6 HOURS', 'EVERY SIX HOURS', 'Q6H', 'EVERY 6 HRS'],
  'Every 8 hours': ['EVERY 8 HOURS', 'EVERY EIGHT HOURS', 'Q8H'],
  'Every 12 hours': ['EVERY 12 HOURS', 'EVERY TWELVE HOURS', 'Q12H'],
  'At bedtime': ['AT BEDTIME', 'NIGHTLY', 'EVERY NIGHT AT BEDTIME', 'NIGHTLY AT BEDTIME', 'DAILY AT BEDTIME'],
  'Once weekly': ['ONCE A WEEK', 'ONCE WEEKLY', 'EVERY WEEK', 'EVERY 7 DAYS'],
};
/** UK and Australian labels write the count and frequency in capitals inside a sentence. */
const UK_PHRASES: Partial<Record<Schedule, string[]>> = {
  'Once daily': ['ONCE a day', 'ONCE daily', 'each MORNING', 'in the MORNING'],
  'Twice daily': ['TWICE a day', 'TWICE daily'],
  'Three times daily': ['THREE times a day', 'THREE times daily'],
  'Four times daily': ['FOUR times a day'],
  'At bedtime': ['at NIGHT before bed', 'at BEDTIME'],
  'Once weekly': ['ONCE a week', 'ONCE weekly'],
};
const PER_DAY: Record<Schedule, number> = {
  'Once daily': 1, 'Twice daily': 2, 'Three times daily': 3, 'Four times daily': 4, 'Every 4 hours': 6, 'Every 6 hours': 4,
  'Every 8 hours': 3, 'Every 12 hours': 2, 'At bedtime': 1, 'Once weekly': 1 / 7,
};
const REASONS = ['FOR PAIN', 'FOR NAUSEA', 'FOR ANXIETY', 'FOR SLEEP', 'FOR ITCHING', 'FOR MUSCLE SPASM', 'FOR HEADACHE', 'FOR WHEEZING', 'FOR SHORTNESS OF BREATH', 'FOR ALLERGIES'];
const AS_NEEDED = ['AS NEEDED', 'IF NEEDED', 'WHEN REQUIRED', 'AS NEEDED'];
const EXTRAS = ['WITH FOOD', 'WITH A FULL GLASS OF WATER', 'ON AN EMPTY STOMACH', 'WITH MEALS', 'BEFORE MEALS', 'AFTER MEALS', 'DO NOT CRUSH OR CHEW', 'UNTIL ALL TAKEN', 'UNTIL GONE'];

/** Dose amounts: digits, words and fractions, with the number each means. */
const AMOUNTS: [string, number][] = [['1', 1], ['ONE', 1], ['2', 2], ['TWO', 2], ['1/2', 0.5], ['ONE-HALF', 0.5], ['1.5', 1.5], ['3', 3]];
const WORDS = ['', 'ONE', 'TWO', 'THREE', 'FOUR'];

function scheduleFor(kind: DrugKind, r: Random): Schedule {
  const common: Schedule[] = ['Once daily', 'Once daily', 'Twice daily', 'Three times daily', 'At bedtime', 'Once daily', 'Twice daily'];
  switch (kind) {
    case 'tab': case 'cap':
      return r.pick([...common, 'Four times daily', 'Every 6 hours', 'Every 8 hours', 'Every 12 hours', 'Every 4 hours', 'Once weekly']);
    case 'liquid': return r.pick(['Twice daily', 'Three times daily', 'Every 12 hours', 'Every 8 hours', 'Once daily', 'Four times daily']);
    case 'inhaler': return r.pick(['Every 4 hours', 'Every 6 hours', 'Twice daily', 'Four times daily']);
    case 'insulin': return r.pick(['Once daily', 'At bedtime', 'Three times daily']);
    case 'eye': return r.pick(['Once daily', 'At bedtime', 'Twice daily', 'Three times daily']);
    case 'cream': return r.pick(['Twice daily', 'Once daily', 'Three times daily']);
    case 'nasal': return r.pick(['Once daily', 'Twice daily']);
  }
}

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** Directions for a drug kind; `uk` writes them the British/Australian way. */
export function makeDirections(kind: DrugKind, r: Random, style: 'us' | 'uk'): Directions {
  const schedule = scheduleFor(kind, r);
  const as_needed = ['Every 4 hours', 'Every 6 hours', 'Every 8 hours'].includes(schedule) ? r.chance(0.75) : r.chance(0.08);
  const perDay = PER_DAY[schedule];
  if (style === 'uk') return ukDirections(kind, schedule, as_needed, perDay, r);
  const freq = r.pick(PHRASES[schedule]);
  let body: string;
  let perDose: number;
  switch (kind) {
    case 'tab': case 'cap': {
      const unit = kind === 'tab' ? 'TABLET' : 'CAPSULE';
      const [word, n] = kind === 'cap' ? r.pick(AMOUNTS.filter(([, v]) => Number.isInteger(v))) : r.pick(AMOUNTS);
      perDose = n;
      const verb = r.pick(['TAKE', 'TAKE', 'TAKE', 'GIVE']);
      const route = r.pick([' BY MOUTH', ' BY MOUTH', ' ORALLY', '']);
      body = `${verb} ${word} ${plural(n, unit, unit + 'S')}${route}`;
      break;
    }
    case 'liquid': {
      perDose = r.pick([2.5, 5, 7.5, 10]);
      body = `TAKE ${perDose} ML BY MOUTH`;
      break;
    }
    case 'inhaler': {
      perDose = r.pick([1, 2]);
      body = `INHALE ${r.pick([String(perDose), WORDS[perDose]!])} ${plural(perDose, 'PUFF', 'PUFFS')}${r.pick([' BY MOUTH', ''])}`;
      break;
    }
    case 'insulin': {
      perDose = r.int(4, 40);
      body = `INJECT ${perDose} UNITS ${r.pick(['UNDER THE SKIN', 'SUBCUTANEOUSLY', 'UNDER THE SKIN'])}`;
      break;
    }
    case 'eye': {
      perDose = 1;
      body = `INSTILL 1 DROP IN ${r.pick(['EACH EYE', 'BOTH EYES', 'THE LEFT EYE', 'THE RIGHT EYE'])}`;
      break;
    }
    case 'cream': {
      perDose = 1;
      body = `APPLY A THIN LAYER TO ${r.pick(['AFFECTED AREA', 'THE AFFECTED AREA', 'AFFECTED SKIN'])}`;
      break;
    }
    case 'nasal': {
      perDose = 2;
      body = `USE ${r.pick(['2', 'TWO'])} SPRAYS IN EACH NOSTRIL`;
      break;
    }
  }
  let sig = `${body} ${freq}`;
  if (as_needed) sig += ` ${r.pick(AS_NEEDED)}${r.chance(0.6) ? ` ${r.pick(REASONS)}` : ''}`;
  else if ((kind === 'tab' || kind === 'cap') && r.chance(0.3)) sig += ` ${r.pick(EXTRAS)}`;
  const upper = r.chance(0.7);
  return { sig: upper ? sig : sentenceCase(sig), schedule, as_needed, perDose, perDay };
}

function ukDirections(kind: DrugKind, schedule: Schedule, asNeeded: boolean, perDay: number, r: Random): Directions {
  const phrases = UK_PHRASES[schedule] ?? [PHRASES[schedule][0]!.toLowerCase()];
  const freq = r.pick(phrases);
  let perDose = 1;
  let body: string;
  switch (kind) {
    case 'tab': case 'cap': {
      perDose = r.pick([1, 1, 2]);
      const unit = kind === 'tab' ? 'tablet' : 'capsule';
      body = `Take ${WORDS[perDose]} ${plural(perDose, unit, unit + 's')}`;
      break;
    }
    case 'liquid': perDose = r.pick([5, 10]); body = `Take ${perDose}ml`; break;
    case 'inhaler': perDose = 2; body = 'Inhale TWO puffs'; break;
    case 'insulin': perDose = r.int(4, 30); body = `Inject ${perDose} units`; break;
    case 'eye': body = 'Use ONE drop in both eyes'; break;
    case 'cream': body = 'Apply thinly to the affected area'; break;
    case 'nasal': perDose = 2; body = 'Use TWO sprays in each nostril'; break;
  }
  let sig = `${body} ${freq}`;
  if (asNeeded) sig += ' when required';
  return { sig, schedule, as_needed: asNeeded, perDose, perDay };
}

function sentenceCase(s: string): string {
  const lower = s.toLowerCase().replace(/\b(bid|tid|qid|qd|q\d+h)\b/g, (m) => m.toUpperCase());
  return lower[0]!.toUpperCase() + lower.slice(1);
}
