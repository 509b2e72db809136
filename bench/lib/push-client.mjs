import WebSocket from 'ws';

/**
 * Listens on med-store's /meds/ws and remembers when each job was first pushed in each status,
 * by this process's clock (the same clock the uploads and publishes are timed with).
 */
export async function listenForJobs(scope, httpUrl, headers = {}) {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/meds/ws`, { headers });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  scope.defer(() => socket.close());
  const seen = new Map(); // `${job_id} ${status}` -> ms
  const waiters = new Map();
  socket.on('message', (data) => {
    const at = performance.now();
    const msg = JSON.parse(data.toString());
    if (msg.type !== 'job') return;
    const key = `${msg.job.job_id} ${msg.job.status}`;
    if (!seen.has(key)) seen.set(key, at);
    waiters.get(key)?.(at);
  });
  return {
    /** When `jobId` was pushed with `status`, or undefined. */
    at: (jobId, status) => seen.get(`${jobId} ${status}`),
    /** Resolves with the time `jobId` is pushed with `status` (register before causing it). */
    next(jobId, status, timeoutMs = 10_000) {
      const key = `${jobId} ${status}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`no push of ${key} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(key, (at) => {
          clearTimeout(timer);
          waiters.delete(key);
          resolve(at);
        });
      });
    },
  };
}
