import type { Schedule } from '@rxscan/contracts';
import type { Timing } from 'fhir/r4.js';

/** HL7 v3 timing abbreviations, the code system FHIR R4 suggests for `Timing.code`. */
const GTS = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

type Repeat = NonNullable<Timing['repeat']>;
const every = (frequency: number, period: number, periodUnit: Repeat['periodUnit']): Repeat => ({ frequency, period, periodUnit });

/**
 * Each word of the schedule vocabulary as a FHIR R4 `Timing`: how many times per period,
 * and the v3 abbreviation where there is one (there is none for every 12 hours).
 * Typed by `Schedule`, so a new word does not build until it has its timing here.
 */
const TIMINGS: Record<Schedule, { repeat: Repeat; code?: string }> = {
  'Once daily': { repeat: every(1, 1, 'd'), code: 'QD' },
  'Twice daily': { repeat: every(2, 1, 'd'), code: 'BID' },
  'Three times daily': { repeat: every(3, 1, 'd'), code: 'TID' },
  'Four times daily': { repeat: every(4, 1, 'd'), code: 'QID' },
  'Every 4 hours': { repeat: every(1, 4, 'h'), code: 'Q4H' },
  'Every 6 hours': { repeat: every(1, 6, 'h'), code: 'Q6H' },
  'Every 8 hours': { repeat: every(1, 8, 'h'), code: 'Q8H' },
  'Every 12 hours': { repeat: every(1, 12, 'h') },
  'At bedtime': { repeat: { ...every(1, 1, 'd'), when: ['HS'] }, code: 'BED' },
  'Once weekly': { repeat: every(1, 1, 'wk'), code: 'WK' },
};

export function timingOf(schedule: Schedule): Timing {
  const { repeat, code } = TIMINGS[schedule];
  return {
    repeat: { ...repeat },
    code: { ...(code && { coding: [{ system: GTS, code }] }), text: schedule },
  };
}
