export { STREAMS, SUBJECTS, CONSUMERS, SCHEDULES } from './subjects.js';
export type { StreamName, Subject, Schedule } from './subjects.js';
export {
  medicationSchema,
  imageRefSchema,
  ocrRequestedSchema,
  ocrStartedSchema,
  ocrCompletedSchema,
  ocrFailedSchema,
  ocrPurgedSchema,
  medConfirmedSchema,
  medUpdatedSchema,
  medDeletedSchema,
  EVENT_SCHEMAS,
  MEDICATION_FIELDS,
  emptyMedication,
  isEventType,
} from './events.js';
export type {
  Medication,
  ImageRef,
  BusEvent,
  EventType,
  EventOf,
  EventData,
  OcrEvent,
  MedEvent,
  OcrRequested,
  OcrStarted,
  OcrCompleted,
  OcrFailed,
  OcrPurged,
  MedConfirmed,
  MedUpdated,
  MedDeleted,
} from './events.js';
export { encodeEvent, decodeEvent, publishEvent, messageIdOf, InvalidEventError, isInvalidEvent } from './codec.js';
export {
  streamConfigs,
  workerConsumerConfig,
  projectorConsumerConfig,
  ensureStreams,
  ensureConsumer,
  DEFAULT_WORKER_CONSUMER,
} from './streams.js';
export type { StreamOptions, WorkerConsumerOptions } from './streams.js';
export { connectBus, parseServers, busOptionsFromEnv } from './connection.js';
export type { Bus, BusOptions } from './connection.js';
export { ConfigError, envString, envInt, envOptional } from './env.js';
export { DEVICE_COOKIE, UNAUTHORIZED } from './api.js';
export type {
  JobStatus,
  JobStatusView,
  ExtractAccepted,
  MedicationView,
  ErrorBody,
  PushMessage,
  DeviceView,
  SessionView,
  PairingCodeView,
  PairedView,
} from './api.js';
export { BUS_PERMISSIONS } from './permissions.js';
export type { BusPermissions, BusRole } from './permissions.js';
