import { describe, expect, it, vi } from 'vitest';
import { createApiClient, statusUrlOf } from './api.client.js';
import { ApiError } from './api.errors.js';
import { accepted } from './test.fixtures.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A client whose fetch answers every call with a fresh copy of `res` (a body reads once). */
function clientAnswering(res: Response | Error) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    if (res instanceof Error) throw res;
    return res.clone();
  });
  return { api: createApiClient({ fetch }), fetch };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('api client', () => {
  it('uploads the photo as multipart field "image"', async () => {
    const { api, fetch } = clientAnswering(json(202, accepted()));
    await expect(api.upload(new Blob(['x'], { type: 'image/jpeg' }), 'label.jpg')).resolves.toEqual(accepted());
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/meds/extract');
    expect(init?.method).toBe('POST');
    const form = init?.body as FormData;
    expect((form.get('image') as File).name).toBe('label.jpg');
  });

  it('polls with the sequence so the server waits for the job', () => {
    expect(statusUrlOf(accepted())).toBe('/meds/extract/job-0001-abcd/status?seq=42');
    expect(statusUrlOf({ poll_url: '/s?x=1', seq: 3 })).toBe('/s?x=1&seq=3');
  });

  it("shows the server's own message for a 4xx, as a sentence", async () => {
    const { api } = clientAnswering(json(400, { error: { code: 'not_an_image', message: 'the file is not a photo' } }));
    const err = await rejection(api.upload(new Blob(['x']), 'x.jpg'));
    expect(err).toMatchObject({ status: 400, code: 'not_an_image', message: 'The file is not a photo.' });
  });

  it('says something plain for a hidden 5xx or a non-JSON answer', async () => {
    const hidden = await rejection(clientAnswering(json(500, { error: { code: 'internal', message: 'internal server error' } })).api.medications());
    expect(hidden.message).toMatch(/^Something went wrong on the server/);
    const html = await rejection(clientAnswering(new Response('<h1>Bad gateway</h1>', { status: 502 })).api.medications());
    expect(html).toMatchObject({ code: 'http_502', message: expect.stringMatching(/not answering/) });
  });

  it('says the network is the problem when the server is not reached', async () => {
    const err = await rejection(clientAnswering(new TypeError('fetch failed')).api.medications());
    expect(err).toMatchObject({ status: 0, code: 'network', message: expect.stringMatching(/Wi-Fi/) });
  });

  it("explains a retry route that an older server doesn't have", async () => {
    const old = await rejection(clientAnswering(json(404, { error: { code: 'not_found', message: 'no route' } })).api.retry('j1'));
    expect(old).toMatchObject({ code: 'retry_unavailable', message: "Retry isn't available on this server. Scan the label again." });
    const gone = await rejection(clientAnswering(json(404, { error: { code: 'job_not_found', message: 'no scan with id j1' } })).api.retry('j1'));
    expect(gone.code).toBe('job_not_found');
  });

  it('confirms with the edited fields only when there are some', async () => {
    const { api, fetch } = clientAnswering(json(200, { id: 'm1' }));
    await api.confirm('m/1', { dosage: '20 mg' });
    expect(fetch.mock.calls[0]![0]).toBe('/meds/medications/m%2F1/confirm');
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toEqual({ medication: { dosage: '20 mg' } });
    await api.confirm('m1', {});
    expect(fetch.mock.calls[1]![1]!.body).toBeUndefined();
  });

  it('deletes and accepts the empty 204', async () => {
    const { api, fetch } = clientAnswering(new Response(null, { status: 204 }));
    await expect(api.remove('m1')).resolves.toBeUndefined();
    expect(fetch.mock.calls[0]![1]!.method).toBe('DELETE');
  });

  it('lists recent jobs, all of them or one status', async () => {
    const { api, fetch } = clientAnswering(json(200, []));
    await api.jobs();
    await api.jobs('failed', 20);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/meds/jobs?limit=50', '/meds/jobs?limit=20&status=failed']);
  });

  it('adds a medication by hand and edits one', async () => {
    const { api, fetch } = clientAnswering(json(201, { id: 'm1' }));
    await api.add({ name: 'Metformin' });
    await api.update('m1', { refills: 2 });
    expect(fetch.mock.calls.map((c) => [c[0], c[1]!.method, c[1]!.body])).toEqual([
      ['/meds/medications', 'POST', '{"name":"Metformin"}'],
      ['/meds/medications/m1', 'PATCH', '{"refills":2}'],
    ]);
  });

  it('tells the page when the server says the tablet is not paired, whatever the call', async () => {
    const onUnauthorized = vi.fn();
    const fetch = vi.fn(async () => json(401, { error: { code: 'unauthorized', message: 'this device is not paired; enter a pairing code' } }));
    const api = createApiClient({ fetch, onUnauthorized });
    const err = await rejection(api.medications());
    expect(err).toMatchObject({ status: 401, message: 'This device is not paired; enter a pairing code.' });
    await rejection(api.status('/meds/extract/x/status'));
    expect(onUnauthorized).toHaveBeenCalledTimes(2);
    const fine = createApiClient({ fetch: vi.fn(async () => json(200, [])), onUnauthorized });
    await fine.medications();
    expect(onUnauthorized).toHaveBeenCalledTimes(2);
  });

  it('pairs by posting the code and the name the person typed', async () => {
    const { api, fetch } = clientAnswering(json(201, { device: { id: 'd1', name: 'Kitchen', created_at: '', last_seen_at: null }, token: 'rxd_x' }));
    await api.pair('abcd efgh', 'Kitchen');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/meds/auth/pair');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ code: 'abcd efgh', name: 'Kitchen' });
  });
});
