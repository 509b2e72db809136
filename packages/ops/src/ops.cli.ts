import { parseArgs } from 'node:util';
import { keepFilesPrivate } from '@rxscan/service-kit';
import { printable } from './terminal.text.js';
import { closeQuickly, openOpsBus, openOpsContext, openOpsDatabase, opsTargets } from './ops.context.js';
import { DeviceRegistry } from '@rxscan/med-store';
import { parseDuration, rebuild, replay, status } from './ops.commands.js';
import { natsContextCommand } from './nats-context.cli.js';
import { deployNatsUsers } from './nats-auth.storage.js';
import { backupCommand, restoreCommand } from './backup.cli.js';
import { formatParked, parkedCommand } from './parked.cli.js';

const USAGE = `usage: npm run -s ops -- <command>
  status                           streams, consumers, jobs by status, stuck and failed jobs
  replay --job ID                  reprocess one job (its next attempt, reason "replay")
  replay --failed [--since 24h]    reprocess every failed job (created within --since)
  rebuild                          recreate the jobs, medications, people and histories from the OCR and MEDS streams
                                   (events that cannot be applied are listed and parked)
  parked [list|show ID|retry ID|drop ID] [--all]
                                   events the projection parked (went on without): look, apply again, or let go
  pair                             make a pairing code (single use, 10 minutes) for a new tablet
  devices                          list the paired devices
  revoke ID                        revoke a device's token (it must pair again)
  nats-context [--name rxscan] [--no-select]
                                   a nats CLI context for the operator account (the runbook's nats commands)
  nats-users                       the per-role NATS users for deploy/ (nats.conf), from BUS_PERMISSIONS
  backup DIR                       the database, both streams and the photos into a new folder (running or not)
  restore DIR                      a backup into an empty DATA_DIR (RxScan stopped)
Finds the system through NATS_URL / DATABASE_URL, or DATA_DIR/runtime.json written by npm start.`;

async function main(argv: string[]): Promise<number> {
  // Backups, restores and contexts it writes hold the same data as DATA_DIR: the owner's alone.
  keepFilesPrivate();
  // Commands with options of their own.
  if (argv[0] === 'nats-context') return natsContextCommand(argv.slice(1), (l) => console.log(l));
  if (argv[0] === 'backup') return backupCommand(argv.slice(1), (l) => console.log(l));
  if (argv[0] === 'restore') return restoreCommand(argv.slice(1), (l) => console.log(l));
  if (argv[0] === 'parked') return parkedCommand(argv.slice(1), (l) => console.log(l));
  if (argv[0] === 'nats-users') {
    process.stdout.write(deployNatsUsers());
    return 0;
  }
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { job: { type: 'string' }, failed: { type: 'boolean' }, since: { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0];
  if (values.help || !command || !['status', 'replay', 'rebuild', 'pair', 'devices', 'revoke'].includes(command)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'replay' && !values.job && !values.failed) {
    console.error('replay needs --job ID or --failed');
    return 2;
  }
  if (command === 'revoke' && !positionals[1]) {
    console.error('revoke needs the device id (see: ops devices)');
    return 2;
  }
  if (['pair', 'devices', 'revoke'].includes(command)) return devices(command, positionals[1]);
  if (command === 'status') return statusCommand();
  const since = values.since ? new Date(Date.now() - parseDuration(values.since)) : undefined;
  const ctx = await openOpsContext();
  try {
    if (command === 'replay') {
      const r = await replay(ctx, { jobId: values.job, failedSince: values.failed ? since : undefined });
      for (const j of r.replayed) console.log(`replayed ${j.job_id} as attempt ${j.attempt}${j.duplicate ? ' (already requested)' : ''}`);
      for (const j of r.skipped) console.log(`skipped ${j.job_id}: ${j.reason}`);
      console.log(`${r.replayed.length} replayed, ${r.skipped.length} skipped`);
    }
    if (command === 'rebuild') {
      const t0 = Date.now();
      const r = await rebuild(ctx);
      const invalid = r.unapplied.filter((u) => u.reason === 'invalid').length;
      const left = r.unapplied.length
        ? `; ${r.unapplied.length} could not be applied (${invalid} invalid, ${r.unapplied.length - invalid} failed) and are parked:`
        : '';
      console.log(`rebuilt from ${r.applied} events in ${Date.now() - t0} ms${r.dropped ? ` (${r.dropped} dropped before left out)` : ''}${left}`);
      formatParked(r.parked, (l) => console.log(`  ${l}`));
      if (r.unapplied.length) console.log('  (ops parked show|retry|drop ID)');
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

/** Whatever answers is shown; what does not is named, and the exit code is 1. */
async function statusCommand(): Promise<number> {
  const targets = await opsTargets();
  const [bus, db] = await Promise.allSettled([openOpsBus(), openOpsDatabase()]);
  const problems = [bus, db].flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  try {
    const ok = await status(
      {
        natsUrl: targets.natsUrl,
        databaseUrl: targets.databaseUrl,
        metrics: targets.metrics,
        bus: bus.status === 'fulfilled' ? bus.value.bus : null,
        orm: db.status === 'fulfilled' ? db.value.orm : null,
        problems,
      },
      (l) => console.log(l),
    );
    return ok ? 0 : 1;
  } finally {
    await closeQuickly(...(bus.status === 'fulfilled' ? [bus.value.bus.close()] : []), ...(db.status === 'fulfilled' ? [db.value.orm.close()] : []));
  }
}

/** Devices live in the database alone: these work whether or not NATS is up. */
async function devices(command: string, id: string | undefined): Promise<number> {
  const { orm } = await openOpsDatabase();
  try {
    const registry = new DeviceRegistry(orm);
    if (command === 'pair') {
      const { code, expires_at } = await registry.createPairingCode();
      console.log(`pairing code: ${code}  (single use, until ${new Date(expires_at).toLocaleTimeString()})`);
      console.log('Open RxScan on the tablet and type this code.');
    }
    if (command === 'devices') {
      const list = await registry.list();
      // Names were typed on a tablet: escape what a terminal would obey.
      for (const d of list) console.log(`${printable(d.id)}  ${printable(d.name).padEnd(24)}  paired ${d.created_at}  last seen ${d.last_seen_at ?? 'never'}`);
      console.log(`${list.length} paired device${list.length === 1 ? '' : 's'}`);
    }
    if (command === 'revoke') {
      if (!(await registry.revoke(id!))) throw new Error(`no paired device ${id}`);
      console.log(`revoked ${id}; it is refused within 5 seconds`);
    }
    return 0;
  } finally {
    await closeQuickly(orm.close());
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`ops: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
