import { describe, expect, it } from 'vitest';
import { understoodDirections } from './directions.text.js';

const sig = (text: string | null, over: Partial<Parameters<typeof understoodDirections>[0]> = {}) =>
  understoodDirections({ sig: text, schedule: null, as_needed: false, instructions: null, ...over });

describe('directions as understood', () => {
  it('says the schedule as people do, with the dose from the label', () => {
    expect(sig('TAKE 1 TABLET BY MOUTH 3 TIMES A DAY', { schedule: 'Three times daily' })).toBe('Take 1 tablet three times a day');
    expect(sig('Take one capsule twice daily', { schedule: 'Twice daily' })).toBe('Take 1 capsule twice a day');
    expect(sig('Use 2 sprays in each nostril once a day', { schedule: 'Once daily' })).toBe('Use 2 sprays once a day');
    expect(sig('TAKE 1/2 TABLET AT BEDTIME', { schedule: 'At bedtime' })).toBe('Take ½ tablet at bedtime');
  });

  it('adds "when needed" and the extra instructions', () => {
    expect(sig('Take 2 tablets every 6 hours as needed for pain', { schedule: 'Every 6 hours', as_needed: true, instructions: 'take with food' })).toBe(
      'Take 2 tablets every 6 hours, when needed. Take with food.',
    );
    expect(sig('INHALE 2 PUFFS AS NEEDED', { as_needed: true })).toBe('Inhale 2 puffs when needed');
  });

  it('leaves out a dose it cannot find, and says nothing without a schedule', () => {
    expect(sig('TAKE 1 BY MOUTH DAILY', { schedule: 'Once daily' })).toBe('Take once a day');
    expect(sig(null, { schedule: 'Once weekly' })).toBe('Take once a week');
    expect(sig('TAKE 1 TABLET DAILY')).toBeNull();
  });
});
