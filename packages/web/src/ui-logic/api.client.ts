import type {
  DeletedMedicationView,
  ExtractAccepted,
  HistoryEntryView,
  JobStatus,
  JobStatusView,
  Medication,
  MedicationView,
  PairedView,
  PersonView,
  SessionView,
} from '@rxscan/contracts';

/** Whose a medication is, in a request: a person on the list (null: nobody), or a new one by name. */
export interface PersonFields {
  person_id?: string | null;
  new_person?: string;
}
import { ApiError, errorFromResponse, errorFromThrown } from './api.errors.js';

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** What `GET /meds/jobs?status=` accepts: a job status, or `stuck` (no result long after it was requested). */
export type JobFilter = JobStatus | 'stuck';

/** The calls the tablet makes, all to its own origin under /meds. */
export interface ApiClient {
  /**
   * Sends the photos of one scan (1–4, each an `image` part of one request); `onProgress`
   * hears the share of the bytes sent so far (0..1) when the browser can tell.
   */
  upload(photos: Blob | readonly Blob[], fileName: string, onProgress?: (sent: number) => void): Promise<ExtractAccepted>;
  status(url: string): Promise<JobStatusView>;
  retry(jobId: string): Promise<JobStatusView>;
  /** Recent jobs, newest first; all of them, or those with one status. */
  jobs(status?: JobFilter, limit?: number): Promise<JobStatusView[]>;
  medications(): Promise<MedicationView[]>;
  /** A medication typed in by hand; confirmed at once. */
  add(fields: Partial<Medication>, person?: PersonFields): Promise<MedicationView>;
  confirm(medicationId: string, changes?: Partial<Medication>, person?: PersonFields): Promise<MedicationView>;
  update(medicationId: string, changes: Partial<Medication>, person?: Pick<PersonFields, 'person_id'>): Promise<MedicationView>;
  remove(medicationId: string): Promise<void>;
  /** A scan's draft recorded as a new fill of a medication on the list; resolves with that medication. */
  refill(draftId: string, of: string, changes?: Partial<Medication>): Promise<MedicationView>;
  stop(medicationId: string): Promise<MedicationView>;
  resume(medicationId: string): Promise<MedicationView>;
  /** Undoes a delete. */
  restore(medicationId: string): Promise<MedicationView>;
  /** Deleted lately, still in time to undo. */
  deleted(): Promise<DeletedMedicationView[]>;
  history(medicationId: string): Promise<HistoryEntryView[]>;
  people(): Promise<PersonView[]>;
  addPerson(name: string): Promise<PersonView>;
  renamePerson(personId: string, name: string): Promise<PersonView>;
  /** `personId` goes; their medications are `into`'s. */
  mergePerson(personId: string, into: string): Promise<PersonView>;
  /** Who this tablet is; rejects with status 401 when it is not paired (or was revoked). */
  session(): Promise<SessionView>;
  /** Spends a pairing code; the server answers with the device cookie. */
  pair(code: string, name: string): Promise<PairedView>;
}

export interface ApiClientOptions {
  fetch?: FetchFn;
  /** Prefix for every path; '' for the page's own origin. */
  base?: string;
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Called when any request is refused with 401: the tablet is not (or no longer) paired. */
  onUnauthorized?: () => void;
}

/** "label.jpg", "label-2.jpg"…: the file name of each side of a scan of several photos. */
const sideName = (fileName: string, i: number): string => (i === 0 ? fileName : fileName.replace(/(\.[^.]*)?$/, (ext) => `-${i + 1}${ext}`));

/** The photo of a job as the server shows it (upright, metadata stripped); the device cookie authorises it. */
export const imageUrlOf = (jobId: string): string => `/meds/extract/${encodeURIComponent(jobId)}/image`;

/** The status URL of a job found on the server (after a reload): it exists, so no sequence is needed. */
export const statusUrlOfJob = (jobId: string): string => `/meds/extract/${encodeURIComponent(jobId)}/status`;

/** The status URL with the stream sequence, so med-store waits for the job rather than answering 404. */
export function statusUrlOf(accepted: Pick<ExtractAccepted, 'poll_url' | 'seq'>): string {
  const sep = accepted.poll_url.includes('?') ? '&' : '?';
  return `${accepted.poll_url}${sep}seq=${encodeURIComponent(String(accepted.seq))}`;
}

/** A POST whose upload progress the browser reports (fetch cannot, without streams over HTTP/2). */
function postWithProgress(url: string, body: FormData, ms: number, onProgress: (sent: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.timeout = ms;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      const type = xhr.getResponseHeader('content-type') ?? 'text/plain';
      resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers: { 'content-type': type } }));
    };
    xhr.onerror = () => reject(new TypeError('Network request failed'));
    xhr.ontimeout = () => reject(new DOMException('The upload timed out', 'TimeoutError'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    xhr.send(body);
  });
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const fetchFn: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = options.base ?? '';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000;

  // Upload progress needs XMLHttpRequest; a client given its own fetch (tests, Node) uses that.
  const canReportProgress = !options.fetch && typeof XMLHttpRequest !== 'undefined';

  async function call<T>(path: string, init: RequestInit = {}, ms = timeoutMs): Promise<T> {
    let res: Response;
    try {
      res = await fetchFn(`${base}${path}`, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
        signal: AbortSignal.timeout(ms),
      });
    } catch (err) {
      throw errorFromThrown(err);
    }
    return answer<T>(res);
  }

  async function answer<T>(res: Response): Promise<T> {
    if (res.status === 401) options.onUnauthorized?.();
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as T;
    try {
      return (await res.json()) as T;
    } catch (err) {
      throw new ApiError(res.status, 'invalid_response', 'The server sent an answer the tablet could not read.', { cause: err });
    }
  }

  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const medPath = (id: string) => `/meds/medications/${encodeURIComponent(id)}`;

  return {
    async upload(photos, fileName, onProgress) {
      const form = new FormData();
      const list = photos instanceof Blob ? [photos] : photos;
      list.forEach((photo, i) => form.append('image', photo, list.length === 1 ? fileName : sideName(fileName, i)));
      if (!onProgress || !canReportProgress) return call('/meds/extract', { method: 'POST', body: form }, uploadTimeoutMs);
      let res: Response;
      try {
        res = await postWithProgress(`${base}/meds/extract`, form, uploadTimeoutMs, onProgress);
      } catch (err) {
        throw errorFromThrown(err);
      }
      return answer<ExtractAccepted>(res);
    },
    status: (url) => call(url, { cache: 'no-store' }),
    async retry(jobId) {
      try {
        return await call<JobStatusView>(`/meds/extract/${encodeURIComponent(jobId)}/retry`, { method: 'POST' });
      } catch (err) {
        // A server from before retries existed answers 404 for the route itself.
        if (err instanceof ApiError && err.status === 404 && err.code !== 'job_not_found') {
          throw new ApiError(404, 'retry_unavailable', "Retry isn't available on this server. Scan the label again.", { cause: err });
        }
        throw err;
      }
    },
    jobs(status, limit = 50) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (status) query.set('status', status);
      return call(`/meds/jobs?${query.toString()}`, { cache: 'no-store' });
    },
    medications: () => call('/meds/medications', { cache: 'no-store' }),
    add: (fields, person = {}) => call('/meds/medications', json('POST', { ...fields, ...person })),
    update: (id, changes, person = {}) => call(medPath(id), json('PATCH', { ...changes, ...person })),
    confirm: (id, changes, person = {}) => {
      const body = { ...(changes && Object.keys(changes).length > 0 && { medication: changes }), ...person };
      return call(`${medPath(id)}/confirm`, Object.keys(body).length > 0 ? json('POST', body) : { method: 'POST' });
    },
    remove: (id) => call(medPath(id), { method: 'DELETE' }),
    refill: (id, of, changes) => call(`${medPath(id)}/refill`, json('POST', { of, ...(changes && Object.keys(changes).length > 0 && { medication: changes }) })),
    stop: (id) => call(`${medPath(id)}/stop`, { method: 'POST' }),
    resume: (id) => call(`${medPath(id)}/resume`, { method: 'POST' }),
    restore: (id) => call(`${medPath(id)}/restore`, { method: 'POST' }),
    deleted: () => call('/meds/medications/deleted', { cache: 'no-store' }),
    history: (id) => call(`${medPath(id)}/history`, { cache: 'no-store' }),
    people: () => call('/meds/people', { cache: 'no-store' }),
    addPerson: (name) => call('/meds/people', json('POST', { name })),
    renamePerson: (id, name) => call(`/meds/people/${encodeURIComponent(id)}`, json('PATCH', { name })),
    mergePerson: (id, into) => call(`/meds/people/${encodeURIComponent(id)}/merge`, json('POST', { into })),
    session: () => call('/meds/auth/session', { cache: 'no-store' }),
    pair: (code, name) => call('/meds/auth/pair', json('POST', { code, name })),
  };
}
