/**
 * The runbook's `nats …` commands, as written in docs/operations.md, against a system
 * started by `npm start`, through the context `ops nats-context` writes. The commands run
 * through nats-cli.harness.ts (the client library reading the CLI's context files),
 * because no package here ships the `nats` CLI. Set RUNBOOK_TRANSCRIPT=FILE to keep what
 * each step showed.
 */
import { execFile } from 'node:child_process';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { REPO_ROOT, eventually, startSystem, tempDir, uploadLabel, waitForJob, type RunningSystem, type TempDir } from '@rxscan/test-utils';
import { natsCommandsIn, runNats, selectedContext } from './nats-cli.harness.js';

const run = promisify(execFile);

describe('the runbook’s nats commands, literally, under npm start', () => {
  let data: TempDir;
  let config: TempDir;
  let sys: RunningSystem;
  let headers: Record<string, string>;
  let env: Record<string, string>;
  const transcript = async (line: string) => {
    if (process.env.RUNBOOK_TRANSCRIPT) await appendFile(process.env.RUNBOOK_TRANSCRIPT, `${line}\n`);
  };
  const nats = async (line: string) => {
    const out = await runNats(line, env);
    await transcript(`$ ${line}\n${out}\n`);
    return out;
  };
  const ops = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), ...args], { env: { ...process.env, ...env } });
    await transcript(`$ npm run -s ops -- ${args.join(' ')}\n${stdout}`);
    return stdout;
  };

  beforeAll(async () => {
    data = await tempDir('rxscan-runbook-');
    config = await tempDir('rxscan-nats-config-');
    env = { DATA_DIR: data.path, XDG_CONFIG_HOME: config.path, NATS_URL: '', NATS_CONTEXT: '' };
    if (process.env.RUNBOOK_TRANSCRIPT) await writeFile(process.env.RUNBOOK_TRANSCRIPT, '$ npm start   (DATA_DIR and XDG_CONFIG_HOME in temporary folders)\n');
    sys = await startSystem({ dataDir: data.path });
    headers = (await sys.pair()).headers;
  });
  afterAll(async () => {
    await sys?.stop();
    await data?.remove();
    await config?.remove();
  });

  it('writes a context for the operator account, private, and selects it', async () => {
    const out = await ops('nats-context');
    expect(out).toMatch(/nats context "rxscan" written to .*rxscan\.json \(mode 0600\): nats:\/\/127\.0\.0\.1:\d+ as ops/);
    const { name, context } = await selectedContext(env);
    expect(name).toBe('rxscan');
    const runtime = JSON.parse(await readFile(path.join(data.path, 'runtime.json'), 'utf8'));
    expect(context.url).toBe(runtime.nats_url);
    expect(context.user).toBe('ops');
    expect((await stat(path.join(config.path, 'nats/context/rxscan.json'))).mode & 0o777).toBe(0o600);
    // The server wants these credentials: without them it refuses.
    await expect(connect({ servers: context.url, timeout: 3000, reconnect: false })).rejects.toThrow(/authorization/i);
  });

  it('runs every nats command of the runbook as written', { timeout: 240_000 }, async () => {
    const job = await uploadLabel(sys.url, headers);
    expect((await waitForJob(sys.url, headers, job)).status).toBe('completed');

    const doc = await readFile(path.join(REPO_ROOT, 'docs/operations.md'), 'utf8');
    const commands = natsCommandsIn(doc);
    expect(commands.length).toBeGreaterThanOrEqual(7);
    const stored = JSON.parse((await nats('nats stream get OCR --last-for ocr.requested')).split('\n')[1]!);
    expect(stored.job_id).toBe(job.job_id);

    for (const written of commands) {
      // The placeholders a person fills in: the job to replay, its photo, a sequence, a photo's SHA-256.
      const line = written
        .replaceAll('JOB_ID', job.job_id)
        .replace(/"image":\{[^}]*\}/, `"image":${JSON.stringify(stored.image)}`)
        .replace(/"submitted_at":"[^"]*"/, `"submitted_at":"${new Date().toISOString()}"`)
        .replace(/\bSEQ\b/, String(job.seq))
        .replace(/\bSHA256\b/, stored.image.sha256);
      const out = await nats(line);
      if (/^nats stream info OCR\b/.test(line)) expect(out).toMatch(/Messages [1-9]\d*/);
      if (/^nats consumer info OCR (ocr-worker|ocr-worker-bulk|med-store)\b/.test(line)) expect(out).toMatch(/Consumer (ocr-worker|ocr-worker-bulk|med-store) on OCR: Unprocessed Messages \d+/);
      if (line.startsWith(`nats stream get OCR ${job.seq}`)) expect(out).toContain(job.job_id);
      if (line.startsWith('nats pub ocr.requested')) expect(out).toMatch(/^Published \d+ bytes/);
      if (line.startsWith('nats kv get photo-jobs')) expect(out).toContain(job.job_id);
    }
    // The hand-published request is attempt 2 of the same job, read again from its stored photo.
    const replayed = await eventually(async () => {
      const res = await fetch(`${sys.url}${job.poll_url}`, { headers });
      const body = (await res.json()) as { attempt: number; status: string };
      return body.attempt === 2 && body.status === 'completed' ? body : undefined;
    }, 120_000, 250);
    expect(replayed.status).toBe('completed');
    expect(await nats('nats consumer info OCR ocr-worker')).toMatch(/Unprocessed Messages 0, Outstanding Acks 0/);
  });

  it('shows a failure with nats stream view, as the alert table says', { timeout: 120_000 }, async () => {
    // A request for a photo that is not in the store fails (image_missing) and is there to look at.
    const ghost = 'ghost-job-0001';
    const payload = { job_id: ghost, image: { key: `${ghost}.jpg`, sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 }, submitted_at: new Date().toISOString(), attempt: 1, reason: 'replay' };
    await nats(`nats pub ocr.requested --header Nats-Msg-Id:${ghost}.1 '${JSON.stringify(payload)}'`);
    const view = await eventually(async () => {
      const out = await runNats('nats stream view OCR --subject ocr.failed', env);
      return out.includes(ghost) ? out : undefined;
    }, 60_000, 500);
    await transcript(`$ nats stream view OCR --subject ocr.failed\n${view}\n`);
    expect(view).toMatch(/image_missing/);
  });

  it('keeps the context pointing at the server after npm start starts it on another port', { timeout: 180_000 }, async () => {
    const before = (await selectedContext(env)).context.url;
    await sys.stop();
    sys = await startSystem({ dataDir: data.path });
    const after = (await selectedContext(env)).context.url;
    expect(sys.output.join('\n')).toContain(`now points at ${after}`);
    expect(after).toBe(JSON.parse(await readFile(path.join(data.path, 'runtime.json'), 'utf8')).nats_url);
    if (after === before) console.warn('nats-server got the same port again; the test still checks the context works');
    expect(await nats('nats stream info OCR')).toMatch(/Messages [1-9]/);
  });
});
