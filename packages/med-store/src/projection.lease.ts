import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { ProjectorLeaseSchema } from './table.schema.js';
import { rowWriteLock } from './database.connection.js';

/** This replica no longer holds the projector lease: another one took over. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * The processes of this machine as a holder names them: the host name, with the pid
 * namespace where Linux tells it (two containers sharing a host name, each with its
 * own pids, are two machines here).
 */
function machineId(): string {
  try {
    const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    return ns ? `${os.hostname()}.pidns${ns}` : os.hostname();
  } catch {
    return os.hostname();
  }
}
const MACHINE = machineId();
const HOLDER = /^(.*)-(\d+)-[0-9a-f]{6}$/;

/** How a replica names itself in the lease row: machine, pid, and a few random bytes (several replicas in one process). */
export const holderName = (pid = process.pid, machine = MACHINE) => `${machine}-${pid}-${randomBytes(3).toString('hex')}`;

/**
 * Whether `holder` names a process of this machine that no longer exists (it crashed
 * or was killed without releasing the lease). A pid the system has given to another
 * process since counts as alive: the lease then simply expires.
 */
export function holderGone(holder: string, machine = MACHINE): boolean {
  const m = HOLDER.exec(holder);
  if (!m || m[1] !== machine || Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * One active projector per database. Replicas of med-store share the durable
 * consumers, and JetStream would split the events between them, applying them out
 * of order; so only the replica holding this lease consumes, the others serve reads
 * and take over when the lease expires (its holder died or hung). Every event is
 * applied in a transaction that first checks the lease (fencing), so a holder that
 * lost it mid-way cannot write.
 */
export class ProjectorLease {
  readonly holder = holderName();
  /** The holder this replica last took the lease from before it expired (its process was gone). */
  tookOverFrom: string | null = null;
  private readonly lock: LockMode | undefined;

  constructor(
    private readonly orm: MikroORM,
    readonly ttlMs = 15_000,
    private readonly name = 'projector',
  ) {
    this.lock = rowWriteLock(orm);
  }

  /**
   * Takes or renews the lease; false while another live replica holds it. A lease whose
   * holder is a process of this machine that is gone is taken at once, not at expiry:
   * a med-store restarted after a crash projects again within a second.
   */
  acquire(now = Date.now()): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const row = await em.findOne(ProjectorLeaseSchema, { name: this.name }, { lockMode: this.lock });
      if (!row) {
        em.persist(em.create(ProjectorLeaseSchema, { name: this.name, holder: this.holder, expires_at: now + this.ttlMs }));
        return true;
      }
      if (row.holder !== this.holder && row.expires_at > now) {
        if (!holderGone(row.holder)) return false;
        this.tookOverFrom = row.holder;
      }
      row.holder = this.holder;
      row.expires_at = now + this.ttlMs;
      return true;
    });
  }

  /** Inside an apply transaction: throws LeaseLostError unless this replica still holds the lease. */
  async assertHeld(em: EntityManager, now = Date.now()): Promise<void> {
    const row = await em.findOne(ProjectorLeaseSchema, { name: this.name }, { lockMode: this.lock === undefined ? undefined : LockMode.PESSIMISTIC_READ });
    if (!row || row.holder !== this.holder || row.expires_at <= now) throw new LeaseLostError('projector lease lost');
  }

  /** Gives the lease up at once, so a standby need not wait for it to expire. */
  async release(): Promise<void> {
    await this.orm.em.fork().nativeUpdate(ProjectorLeaseSchema, { name: this.name, holder: this.holder }, { expires_at: 0 });
  }
}
