import type { Schedule } from '@rxscan/bus-contracts';

/**
 * The schedules a person can pick when correcting a reading. A copy of SCHEDULES:
 * importing the value from @rxscan/bus-contracts would pull its NATS client into
 * the browser bundle. The type below breaks the build if the contract gains a
 * schedule this list lacks, and a unit test checks the order too.
 */
export const SCHEDULE_OPTIONS = [
  'Once daily',
  'Twice daily',
  'Three times daily',
  'Four times daily',
  'Every 4 hours',
  'Every 6 hours',
  'Every 8 hours',
  'Every 12 hours',
  'At bedtime',
  'Once weekly',
] as const satisfies readonly Schedule[];

type Missing = Exclude<Schedule, (typeof SCHEDULE_OPTIONS)[number]>;
export const SCHEDULES_COMPLETE: [Missing] extends [never] ? true : Missing = true;
