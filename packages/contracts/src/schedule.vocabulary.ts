/** The words `schedule` is normalised into: the worker maps a label's directions onto one; a person picks one on the tablet. */
export const SCHEDULES = [
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
] as const;
export type Schedule = (typeof SCHEDULES)[number];
