export { STREAMS, SUBJECTS, CONSUMERS, BUCKETS } from './bus.names.js';
export type { StreamName, Subject } from './bus.names.js';
export { SCHEDULES } from './schedule.vocabulary.js';
export type { Schedule } from './schedule.vocabulary.js';
export {
  medicationSchema,
  fieldAlternativeSchema,
  fieldAlternativesSchema,
  imageRefSchema,
  ocrRequestedSchema,
  ocrStartedSchema,
  ocrCompletedSchema,
  ocrFailedSchema,
  ocrPurgedSchema,
  medConfirmedSchema,
  medUpdatedSchema,
  medDeletedSchema,
  medRefilledSchema,
  medStoppedSchema,
  medResumedSchema,
  medRestoredSchema,
  medAssignedSchema,
  personAddedSchema,
  personRenamedSchema,
  personMergedSchema,
  personNameSchema,
  fillSchema,
  EVENT_SCHEMAS,
  MEDICATION_FIELDS,
  RECORD_FIELDS,
  emptyMedication,
  isEventType,
  isRecordId,
  cleanMedication,
  RECORD_ID,
} from './event.schema.js';
export type {
  Medication,
  FieldAlternative,
  FieldAlternatives,
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
  MedRefilled,
  MedStopped,
  MedResumed,
  MedRestored,
  MedAssigned,
  PersonAdded,
  PersonRenamed,
  PersonMerged,
  PersonEvent,
  Fill,
  RecordField,
  DrugField,
} from './event.schema.js';
export { encodeEvent, decodeEvent, messageIdOf, InvalidEventError, isInvalidEvent } from './event.codec.js';
export { DEVICE_COOKIE, UNAUTHORIZED, UNDO_DELETE_DAYS, errorBody } from './api.types.js';
export type { PushMessage } from './api.types.js';
export {
  errorBodySchema,
  jobStatusSchema,
  jobStatusViewSchema,
  extractAcceptedSchema,
  jobResultSchema,
  jobRunningSchema,
  jobFailedSchema,
  medicationViewSchema,
  medicationEditSchema,
  confirmBodySchema,
  medicationAddSchema,
  medicationPatchSchema,
  refillBodySchema,
  deletedMedicationViewSchema,
  personViewSchema,
  personNameBodySchema,
  personMergeBodySchema,
  historyKindSchema,
  historyEntryViewSchema,
  deviceViewSchema,
  sessionViewSchema,
  pairingCodeViewSchema,
  pairBodySchema,
  pairedViewSchema,
  JOB_FILTERS,
} from './api.schema.js';
export type {
  JobStatus,
  JobStatusView,
  ExtractAccepted,
  MedicationView,
  DeletedMedicationView,
  PersonView,
  HistoryKind,
  HistoryEntryView,
  ErrorBody,
  DeviceView,
  SessionView,
  PairingCodeView,
  PairedView,
} from './api.schema.js';
export { API_ROUTES, koaPath, matchApiRoute } from './api-routes.schema.js';
export type { ApiRoute, ApiRouteName, ApiResponse, HttpMethod, RouteAccess } from './api-routes.schema.js';
export { CRITICAL_FIELDS, REVIEW_THRESHOLD, isCertain, needsReview } from './review.rule.js';
export type { CriticalField } from './review.rule.js';
export { lineText, multilineText, hasControlCharacters, cleanText, escapeControlCharacters } from './text.schema.js';
export { nameWords, nameAgreement, matchPerson, personNameOf } from './person-match.rule.js';
export { samePharmacy, refillTargetOf } from './refill-match.rule.js';
export { parkedAdvisorySchema } from './advisory.schema.js';
export type { ParkedAdvisory } from './advisory.schema.js';
