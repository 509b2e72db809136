import { readFile } from 'node:fs/promises';
import type { ExtractAccepted, JobStatusView } from '@rxscan/contracts';
import { eventually } from './condition.poller.js';
import { distinctPhoto, labelFixture } from './files.fixtures.js';

/**
 * Uploads a new photo of a label fixture (distinct bytes: the very same photo would be answered
 * with its earlier job) through the one origin as the tablet does; resolves with the 202's body.
 */
export async function uploadLabel(baseUrl: string, headers: Record<string, string>, name = 'dev-000-clean'): Promise<ExtractAccepted> {
  const form = new FormData();
  form.append('image', new Blob([distinctPhoto(await readFile(labelFixture(name).image))], { type: 'image/jpeg' }), 'label.jpg');
  const res = await fetch(`${baseUrl}/meds/extract`, { method: 'POST', body: form, headers });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as ExtractAccepted;
}

/** Polls a job until it completed or failed; resolves with its last status. */
export function waitForJob(baseUrl: string, headers: Record<string, string>, accepted: Pick<ExtractAccepted, 'poll_url'>, timeoutMs = 120_000): Promise<JobStatusView> {
  return eventually(async () => {
    const res = await fetch(`${baseUrl}${accepted.poll_url}`, { headers });
    if (!res.ok) return undefined;
    const status = (await res.json()) as JobStatusView;
    return status.status === 'completed' || status.status === 'failed' ? status : undefined;
  }, timeoutMs, 250);
}
