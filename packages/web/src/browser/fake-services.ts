import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import type { ExtractAccepted, JobStatusView, Medication, MedicationView, PushMessage } from '@rxscan/bus-contracts';

/**
 * Stand-ins for ingest and med-store, enough for the tablet page: every `stepMs` each
 * job moves one step (pending, processing, then completed or failed) and the change is
 * pushed on /meds/ws as med-store does. A photo whose bytes contain "UNREADABLE" fails.
 */
export interface FakeServices {
  ingest: Server;
  medStore: Server;
  meds: Map<string, MedicationView>;
  requests: string[];
  push(msg: PushMessage): void;
  close(): Promise<void>;
}

export const READING: Medication = {
  name: 'Lisinopril',
  dosage: '10 mg',
  form: 'tablet',
  sig: 'Take 1 tablet by mouth once daily',
  schedule: 'Once daily',
  as_needed: false,
  instructions: null,
  quantity: 30,
  refills: 2,
  prescriber: 'Dr. Ana Smith',
  rx_number: 'RX-1234567',
  pharmacy: 'Main Street Pharmacy',
};

const send = (res: ServerResponse, status: number, body?: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};
const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

export function startFakeServices(stepMs = 700): FakeServices {
  const jobs = new Map<string, { view: JobStatusView; unreadable: boolean }>();
  const meds = new Map<string, MedicationView>();
  const requests: string[] = [];
  let n = 0;
  const now = () => new Date().toISOString();

  const ingest = createServer(async (req, res) => {
    requests.push(`ingest ${req.method} ${req.url}`);
    const body = await readBody(req);
    if (!String(req.headers['content-type']).startsWith('multipart/form-data') || !body.includes('name="image"')) {
      return send(res, 400, { error: { code: 'missing_image', message: 'no photo received: send it in the multipart field "image"' } });
    }
    n += 1;
    const job_id = `job-${String(n).padStart(4, '0')}-fake`;
    jobs.set(job_id, { view: { job_id, status: 'pending', attempt: 1, created_at: now() }, unreadable: body.includes('UNREADABLE') });
    const accepted: ExtractAccepted = { job_id, status: 'pending', message: 'Photo received; reading the label.', poll_url: `/meds/extract/${job_id}/status`, seq: n };
    send(res, 202, accepted);
  });

  function advance(job: { view: JobStatusView; unreadable: boolean }): void {
    const v = job.view;
    if (v.status === 'pending') job.view = { ...v, status: 'processing', started_at: now() };
    else if (v.status === 'processing') {
      if (job.unreadable) {
        job.view = { ...v, status: 'failed', completed_at: now(), error: { code: 'no_text', message: 'no text could be read on the photo; try again in better light', retryable: true } };
      } else {
        const confidence = { name: 0.97, dosage: 0.62, schedule: 0.91, quantity: 0.88 };
        job.view = { ...v, status: 'completed', completed_at: now(), result: { medication_id: v.job_id, medication: READING, confidence, needs_review: true } };
        const med: MedicationView = { ...READING, id: v.job_id, status: 'needs_review', source_job_id: v.job_id, confidence, created_at: now(), updated_at: now() };
        meds.set(v.job_id, med);
        push({ type: 'medication', medication: med });
      }
    } else return;
    push({ type: 'job', job: job.view });
  }

  const medStore = createServer(async (req, res) => {
    requests.push(`med-store ${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    let m: RegExpMatchArray | null;
    if ((m = url.pathname.match(/^\/meds\/extract\/([^/]+)\/status$/))) {
      const job = jobs.get(m[1]!);
      return job ? send(res, 200, job.view) : send(res, 404, { error: { code: 'job_not_found', message: `no scan with id ${m[1]}` } });
    }
    if ((m = url.pathname.match(/^\/meds\/extract\/([^/]+)\/retry$/)) && req.method === 'POST') {
      const job = jobs.get(m[1]!);
      if (!job) return send(res, 404, { error: { code: 'job_not_found', message: 'no scan' } });
      job.unreadable = false;
      job.view = { job_id: job.view.job_id, status: 'pending', attempt: job.view.attempt + 1, created_at: job.view.created_at };
      return send(res, 202, job.view);
    }
    if (url.pathname === '/meds/medications' && req.method === 'GET') {
      return send(res, 200, [...meds.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)));
    }
    if ((m = url.pathname.match(/^\/meds\/medications\/([^/]+)\/confirm$/)) && req.method === 'POST') {
      const med = meds.get(m[1]!);
      if (!med) return send(res, 404, { error: { code: 'medication_not_found', message: 'no medication' } });
      const edits = body.length ? ((JSON.parse(body.toString()) as { medication?: Partial<Medication> }).medication ?? {}) : {};
      const next: MedicationView = { ...med, ...edits, status: 'confirmed', confidence: null, updated_at: now() };
      meds.set(med.id, next);
      return send(res, 200, next);
    }
    if ((m = url.pathname.match(/^\/meds\/medications\/([^/]+)$/)) && req.method === 'DELETE') {
      if (!meds.delete(m[1]!)) return send(res, 404, { error: { code: 'medication_not_found', message: 'no medication' } });
      res.writeHead(204).end();
      return;
    }
    send(res, 404, { error: { code: 'not_found', message: `no route for ${req.method} ${url.pathname}` } });
  });
  const wss = new WebSocketServer({ server: medStore, path: '/meds/ws' });
  function push(msg: PushMessage): void {
    for (const c of wss.clients) c.send(JSON.stringify(msg));
  }
  const ticker = setInterval(() => jobs.forEach(advance), stepMs);

  return {
    ingest,
    medStore,
    meds,
    requests,
    push,
    async close() {
      clearInterval(ticker);
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await Promise.all(
        [ingest, medStore].map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
