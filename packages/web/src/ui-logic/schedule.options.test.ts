import { expect, it } from 'vitest';
import { SCHEDULES } from '@rxscan/bus-contracts';
import { SCHEDULE_OPTIONS } from './schedule.options.js';

it('offers exactly the schedules of the contract, in its order', () => {
  expect(SCHEDULE_OPTIONS).toEqual(SCHEDULES);
});
