import { LANES, type Lane } from './bus.names.js';
import { EVENT_SCHEMAS, isEventType, type BusEvent, type EventType } from './event.schema.js';

/** A message whose subject or payload does not match the contract. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly subject: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid ${subject} event: ${message}`, options);
  }
}
export const isInvalidEvent = (err: unknown): err is InvalidEventError => err instanceof InvalidEventError;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function validate(type: string, payload: unknown): BusEvent {
  if (!isEventType(type)) throw new InvalidEventError(type, 'unknown subject');
  const parsed = EVENT_SCHEMAS[type].safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidEventError(type, detail, { cause: parsed.error });
  }
  return { type, data: parsed.data } as BusEvent;
}

/** Validates and serialises an event's payload. Throws InvalidEventError. */
export function encodeEvent(event: BusEvent): Uint8Array {
  return encoder.encode(JSON.stringify(validate(event.type, event.data).data));
}

/** The event type a subject carries: a lane's subject carries the event of its lane (`ocr.requested.bulk` → `ocr.requested`). */
export const eventTypeOfSubject = (subject: string): string => (subject === LANES.bulk ? LANES.interactive : subject);

/** The subject an event is published on: its type, or for `ocr.requested` the subject of its lane. */
export const subjectOf = (event: BusEvent, lane: Lane = 'interactive'): string => (event.type === 'ocr.requested' ? LANES[lane] : event.type);

/**
 * Parses and validates a message from the bus. Unknown fields (from a newer
 * producer) are accepted and dropped; anything else that does not match throws.
 */
export function decodeEvent(subject: string, data: Uint8Array): BusEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(data));
  } catch (cause) {
    throw new InvalidEventError(subject, 'payload is not JSON', { cause });
  }
  return validate(eventTypeOfSubject(subject), payload);
}

/**
 * The message id that makes a publish idempotent: JetStream drops a second
 * message with the same id inside the stream's duplicate window.
 */
export function messageIdOf(event: BusEvent): string {
  switch (event.type) {
    case 'ocr.requested':
      return `${event.data.job_id}.${event.data.attempt}`;
    case 'ocr.started':
    case 'ocr.completed':
    case 'ocr.failed':
      return `${event.data.job_id}.${event.data.attempt}.${event.type.slice(4)}`;
    case 'ocr.purged':
      return `${event.data.job_id}.purged`;
    case 'med.confirmed':
      return `${event.data.med_id}.confirmed.${event.data.confirmed_at}`;
    case 'med.updated':
      return `${event.data.med_id}.updated.${event.data.updated_at}`;
    case 'med.deleted':
      // With its time: a medication deleted, restored and deleted again is two deletes.
      return `${event.data.med_id}.deleted.${event.data.deleted_at}`;
    case 'med.refilled':
      // One refill per draft: a second tap on "refill" is the same refill.
      return `${event.data.draft_id}.refilled`;
    case 'med.stopped':
      return `${event.data.med_id}.stopped.${event.data.stopped_at}`;
    case 'med.resumed':
      return `${event.data.med_id}.resumed.${event.data.resumed_at}`;
    case 'med.restored':
      return `${event.data.med_id}.restored.${event.data.restored_at}`;
    case 'med.assigned':
      return `${event.data.med_id}.assigned.${event.data.assigned_at}`;
    case 'med.person.added':
      return `${event.data.person_id}.added`;
    case 'med.person.renamed':
      return `${event.data.person_id}.renamed.${event.data.renamed_at}`;
    case 'med.person.merged':
      return `${event.data.person_id}.merged`;
    default: {
      const unhandled: never = event;
      throw new Error(`no message id for ${(unhandled as BusEvent).type}`);
    }
  }
}

export type { EventType };
