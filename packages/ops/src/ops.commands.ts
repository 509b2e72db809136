import { CONSUMERS, STREAMS } from '@rxscan/contracts';
import type { MikroORM } from '@mikro-orm/core';
import { HEALTH_STREAM, healthSubject, publishEvent, type Bus } from '@rxscan/bus';
import {
  nextAttempt,
  replayBlocker,
  OcrJobSchema,
  ParkedEventRepository,
  ProjectionRepository,
  readAllStreams,
  type OcrJob,
  type ParkedEventRow,
  type Unapplied,
} from '@rxscan/med-store';
import { escapeControlCharacters } from '@rxscan/contracts';
import { hidePassword, type OpsContext } from './ops.context.js';

export type Print = (line: string) => void;

const DURATION = /^(\d+)\s*(m|h|d)$/;
/** `24h`, `90m`, `7d` → milliseconds. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 90m, 24h, 7d)`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

export interface ReplayResult {
  replayed: { job_id: string; attempt: number; duplicate: boolean }[];
  skipped: { job_id: string; reason: string }[];
}

/** Publishes the next attempt of each job; a job still running is skipped with the reason. */
export async function replay(ctx: OpsContext, select: { jobId?: string; failedSince?: Date }): Promise<ReplayResult> {
  const em = ctx.orm.em.fork();
  let jobs: OcrJob[];
  if (select.jobId) {
    const job = await em.findOne(OcrJobSchema, { job_id: select.jobId });
    if (!job) throw new Error(`no job ${select.jobId}`);
    jobs = [job];
  } else {
    const since = (select.failedSince ?? new Date(0)).toISOString();
    jobs = await em.find(OcrJobSchema, { status: 'failed', created_at: { $gte: since } }, { orderBy: { created_at: 'asc' } });
  }
  const result: ReplayResult = { replayed: [], skipped: [] };
  for (const job of jobs) {
    const blocked = replayBlocker(job);
    if (blocked) {
      result.skipped.push({ job_id: job.job_id, reason: blocked.message });
      continue;
    }
    const req = nextAttempt(job, 'replay', new Date());
    // The bulk lane: workers read every scan someone is waiting for first.
    const ack = await publishEvent(ctx.bus.js, { type: 'ocr.requested', data: req }, { lane: 'bulk' });
    result.replayed.push({ job_id: job.job_id, attempt: req.attempt, duplicate: ack.duplicate });
  }
  return result;
}

/**
 * Recreates the projected tables from the streams alone. An event that cannot be applied
 * (its schema refuses it, or the projection throws on it) is left out and reported, never
 * failing the whole rebuild; it is parked (`parked`: the rows, so their ids can be typed).
 */
export async function rebuild(ctx: OpsContext): Promise<{ applied: number; unapplied: Unapplied[]; dropped: number; parked: ParkedEventRow[] }> {
  const { applied, unapplied, dropped } = await new ProjectionRepository(ctx.orm).rebuild(() => readAllStreams(ctx.bus));
  const ids = new Set(unapplied.map((u) => `${u.stream}-${u.seq}`));
  const parked = (await new ParkedEventRepository(ctx.orm).list({ dropped: true })).filter((r) => ids.has(r.id));
  return { applied, unapplied, dropped, parked };
}

/** What `status` reads from: either may be missing, with the reason. */
export interface StatusSources {
  natsUrl: string;
  databaseUrl: string;
  bus: Bus | null;
  orm: MikroORM | null;
  /** Why the bus or the database is missing, one line each. */
  problems: string[];
  /** Each service's /metrics address, as `npm start` recorded them. */
  metrics: Record<string, string>;
}

/**
 * What an operator reads at a glance: streams, consumers, jobs by status, stuck and
 * failed jobs. Prints what it can reach, says what it could not; false when something
 * did not answer.
 */
export async function status(src: StatusSources, print: Print, stuckAfterMs = 10 * 60_000): Promise<boolean> {
  print(`NATS ${src.natsUrl}   database ${hidePassword(src.databaseUrl)}`);
  for (const p of src.problems) print(`!! ${p}`);
  const scrape = Object.entries(src.metrics);
  if (scrape.length) {
    print('');
    print('metrics (Prometheus scrape targets):');
    for (const [service, url] of scrape) print(`  ${service.padEnd(14)} ${url}`);
  }
  let ok = src.problems.length === 0;
  if (src.bus) ok = (await busStatus(src.bus, print)) && ok;
  if (src.orm) await jobStatus(src.orm, print, stuckAfterMs);
  return ok;
}

async function busStatus(bus: Bus, print: Print): Promise<boolean> {
  try {
    print('');
    print(pad(['stream', 'messages', 'first', 'last', 'bytes']));
    for (const s of Object.values(STREAMS)) {
      const info = await bus.jsm.streams.info(s);
      print(pad([s, info.state.messages, info.state.first_seq, info.state.last_seq, info.state.bytes]));
    }
    print(`write probes (${HEALTH_STREAM}): ${(await lastProbes(bus)).join(', ') || 'none yet'}`);
    print('');
    print(pad(['consumer', 'stream', 'pending', 'ack pending', 'redelivered', 'ack floor']));
    for (const [stream, name] of [
      [STREAMS.OCR, CONSUMERS.ocrWorker],
      [STREAMS.OCR, CONSUMERS.ocrWorkerBulk],
      [STREAMS.OCR, CONSUMERS.medStore],
      [STREAMS.MEDS, CONSUMERS.medStore],
    ] as const) {
      const info = await bus.jsm.consumers.info(stream, name).catch((err: unknown) => {
        if (/not found/i.test(String(err))) return null;
        throw err;
      });
      print(info ? pad([name, stream, info.num_pending, info.num_ack_pending, info.num_redelivered, info.ack_floor.stream_seq]) : pad([name, stream, 'missing']));
    }
    return true;
  } catch (err) {
    // One unanswered request is enough: the next would wait as long.
    print(`!! JetStream stopped answering: ${(err as Error).message}`);
    return false;
  }
}

/** When each service last got a write through to the bus (its probe on health.<service>). */
async function lastProbes(bus: Bus): Promise<string[]> {
  const seen: string[] = [];
  for (const source of ['ingest', 'ocr-worker', 'med-store', 'launcher']) {
    const m = await bus.jsm.streams.getMessage(HEALTH_STREAM, { last_by_subj: healthSubject(source) }).catch((err: unknown) => {
      if (/not found|no message/i.test(String(err))) return null;
      throw err;
    });
    if (m) seen.push(`${source} ${Math.max(0, Math.round((Date.now() - m.time.getTime()) / 1000))} s ago`);
  }
  return seen;
}

async function jobStatus(orm: MikroORM, print: Print, stuckAfterMs: number): Promise<void> {
  const em = orm.em.fork();
  print('');
  const counts = await Promise.all((['pending', 'processing', 'completed', 'failed'] as const).map(async (s) => [s, await em.count(OcrJobSchema, { status: s })] as const));
  print(`jobs: ${counts.map(([s, n]) => `${s} ${n}`).join(', ')}`);
  const cutoff = new Date(Date.now() - stuckAfterMs).toISOString();
  const stuck = await em.find(OcrJobSchema, { status: { $in: ['pending', 'processing'] }, created_at: { $lt: cutoff } }, { limit: 20 });
  print(`stuck (no result after ${Math.round(stuckAfterMs / 60_000)} min): ${stuck.length}`);
  for (const j of stuck) print(`  ${j.job_id}  ${j.status}  attempt ${j.attempt}  since ${j.created_at}`);
  const failed = await em.find(OcrJobSchema, { status: 'failed' }, { orderBy: { completed_at: 'desc' }, limit: 10 });
  print(`recent failures: ${failed.length}`);
  for (const j of failed) print(`  ${j.job_id}  ${escapeControlCharacters(`${j.error_code}: ${j.error_message}`)}`);
  const parked = await new ParkedEventRepository(orm).list();
  print(`parked events (the projection went on without them): ${parked.length}${parked.length ? '  (ops parked show|retry|drop ID)' : ''}`);
  for (const p of parked.slice(0, 10)) print(`  ${p.id}  ${escapeControlCharacters(p.subject)}  ${p.reason}  ${escapeControlCharacters(p.error).slice(0, 160)}`);
  if (parked.length > 10) print(`  … ${parked.length - 10} more: ops parked`);
}

const pad = (cols: (string | number)[]) => cols.map((c, i) => String(c).padEnd(i === 0 ? 14 : 12)).join(' ');
