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
export { encodeEvent, decodeEvent, messageIdOf, InvalidEventError, isInvalidEvent } from './codec.js';
export { DEVICE_COOKIE, UNAUTHORIZED, errorBody } from './api.js';
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
export { CRITICAL_FIELDS, REVIEW_THRESHOLD, isCertain, needsReview } from './review.rule.js';
export type { CriticalField } from './review.rule.js';
