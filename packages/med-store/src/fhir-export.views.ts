import type { Bundle, BundleEntry, Dosage, MedicationStatement, Patient, Reference } from 'fhir/r4.js';
import type { MedicationView, PersonView } from '@rxscan/contracts';
import { timingOf } from './fhir-timing.vocabulary.js';

/** A FHIR `id`: what R4 allows, else none (the entry is still identified by its fullUrl). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const fullUrlOf = (kind: string, id: string) => (UUID.test(id) ? `urn:uuid:${id.toLowerCase()}` : `urn:rxscan:${kind}:${encodeURIComponent(id)}`);

/** "Lisinopril 10 mg tablet": the name and strength as the label prints them. */
const medicationText = (m: MedicationView) => [m.name, m.dosage, m.form].filter(Boolean).join(' ');

function dosageOf(m: MedicationView): Dosage[] {
  const dosage: Dosage = {};
  // As printed: the words on the label are what a clinician reads first.
  if (m.sig) dosage.text = m.sig;
  if (m.schedule) dosage.timing = timingOf(m.schedule);
  if (m.as_needed !== null) dosage.asNeededBoolean = m.as_needed;
  if (m.instructions) dosage.patientInstruction = m.instructions;
  return Object.keys(dosage).length > 0 ? [dosage] : [];
}

/** What the label says beyond the drug and its directions, for the person reading the record. */
function noteOf(m: MedicationView): string | null {
  const parts = [
    m.prescriber && `Prescriber: ${m.prescriber}`,
    m.pharmacy && `Pharmacy: ${m.pharmacy}${m.pharmacy_phone ? ` (${m.pharmacy_phone})` : ''}`,
    m.date_filled && `Last filled ${m.date_filled}`,
    m.quantity !== null && `Quantity ${m.quantity}${m.quantity_unit ? ` ${m.quantity_unit}` : ''}`,
    m.refills !== null && `Refills left ${m.refills}`,
    m.discard_after && `Discard after ${m.discard_after}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : null;
}

function statementOf(m: MedicationView, subject: Reference): MedicationStatement {
  const statement: MedicationStatement = {
    resourceType: 'MedicationStatement',
    ...(FHIR_ID.test(m.id) && { id: m.id }),
    ...(m.rx_number && { identifier: [{ type: { text: 'Rx number' }, value: m.rx_number, ...(m.pharmacy && { assigner: { display: m.pharmacy } }) }] }),
    status: m.stopped_at ? 'stopped' : 'active',
    medicationCodeableConcept: { text: medicationText(m) || 'Unnamed medication' },
    subject,
    dateAsserted: m.updated_at,
    dosage: dosageOf(m),
  };
  const period = { ...(m.date_filled && { start: m.date_filled }), ...(m.stopped_at && { end: m.stopped_at }) };
  if (Object.keys(period).length > 0) statement.effectivePeriod = period;
  const note = noteOf(m);
  if (note) statement.note = [{ text: note }];
  if (statement.dosage!.length === 0) delete statement.dosage;
  return statement;
}

/**
 * The household's confirmed medications as a FHIR R4 `Bundle` (type collection): a `Patient`
 * per person and a `MedicationStatement` per medication, whose `subject` is its person.
 * Readings nobody confirmed are left out: they are not yet what the household says it takes.
 * A medication that belongs to nobody names no patient, only says so (`subject.display`).
 */
export function fhirBundleOf(meds: readonly MedicationView[], people: readonly PersonView[], now: Date): Bundle {
  const confirmed = meds.filter((m) => m.status === 'confirmed');
  const used = people.filter((p) => confirmed.some((m) => m.person_id === p.id));
  const patients: BundleEntry[] = used.map((p) => {
    const patient: Patient = { resourceType: 'Patient', ...(FHIR_ID.test(p.id) && { id: p.id }), name: [{ text: p.name }] };
    return { fullUrl: fullUrlOf('person', p.id), resource: patient };
  });
  const subjectOf = (m: MedicationView): Reference => {
    const person = used.find((p) => p.id === m.person_id);
    return person ? { reference: fullUrlOf('person', person.id), display: person.name } : { display: 'A member of the household (not assigned to a person)' };
  };
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: [...patients, ...confirmed.map((m) => ({ fullUrl: fullUrlOf('medication', m.id), resource: statementOf(m, subjectOf(m)) }))],
  };
}
