import type { ExtractAccepted, JobStatusView, Medication, MedicationView } from '@rxscan/contracts';

export const JOB_ID = 'job-0001-abcd';

export const accepted = (over: Partial<ExtractAccepted> = {}): ExtractAccepted => ({
  job_id: JOB_ID,
  status: 'pending',
  message: 'Photo received; reading the label.',
  poll_url: `/meds/extract/${JOB_ID}/status`,
  seq: 42,
  ...over,
});

export const medication = (over: Partial<Medication> = {}): Medication => ({
  name: 'Lisinopril',
  dosage: '10 mg',
  form: 'tablet',
  sig: 'Take 1 tablet by mouth once daily',
  schedule: 'Once daily',
  as_needed: false,
  instructions: null,
  quantity: 30,
  refills: 2,
  prescriber: 'Dr. A. Smith',
  rx_number: '123456',
  pharmacy: 'Main St Pharmacy',
  ...over,
});

export const view = (status: JobStatusView['status'], over: Partial<JobStatusView> = {}): JobStatusView => ({
  job_id: JOB_ID,
  status,
  attempt: 1,
  created_at: '2025-01-01T10:00:00.000Z',
  ...(status === 'completed' && {
    result: { medication_id: JOB_ID, medication: medication(), confidence: { name: 0.95, dosage: 0.6 }, needs_review: true },
  }),
  ...(status === 'failed' && { error: { code: 'unreadable', message: 'no text found on the photo', retryable: true } }),
  ...over,
});

/** A row of the list: a draft of `medication()` unless `over` says otherwise. */
export const medicationRow = (id: string, over: Partial<MedicationView> = {}): MedicationView => ({
  ...medication(),
  id,
  status: 'needs_review',
  source_job_id: id,
  confidence: { name: 0.9 },
  alternatives: null,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  person_id: null,
  stopped_at: null,
  ...over,
});
