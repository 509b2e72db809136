/**
 * The schedules a person can pick when correcting a reading: the contract's own list,
 * from the browser-safe entry of bus-contracts (the main entry carries the NATS client).
 */
export { SCHEDULES as SCHEDULE_OPTIONS } from '@rxscan/bus-contracts/vocabulary';
