import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { ProjectorLeaseSchema } from './table.schema.js';

/** This replica no longer holds the projector lease: another one took over. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
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
  readonly holder = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly lock: LockMode | undefined;

  constructor(
    private readonly orm: MikroORM,
    readonly ttlMs = 15_000,
    private readonly name = 'projector',
  ) {
    // SQLite serialises writers already; PostgreSQL needs the row locked.
    this.lock = orm.config.get('driver')?.name?.startsWith('PostgreSql') ? LockMode.PESSIMISTIC_WRITE : undefined;
  }

  /** Takes or renews the lease; false while another live replica holds it. */
  acquire(now = Date.now()): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const row = await em.findOne(ProjectorLeaseSchema, { name: this.name }, { lockMode: this.lock });
      if (!row) {
        em.persist(em.create(ProjectorLeaseSchema, { name: this.name, holder: this.holder, expires_at: now + this.ttlMs }));
        return true;
      }
      if (row.holder !== this.holder && row.expires_at > now) return false;
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
