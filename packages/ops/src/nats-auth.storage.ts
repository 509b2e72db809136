import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUS_PERMISSIONS, type BusRole } from '@rxscan/bus';
import { loadOrCreateSecret } from '@rxscan/service-kit';

/** One NATS user per role, with a password generated on first start. */
export type NatsCredentials = Record<BusRole, { user: string; password: string }>;

export const credentialsFile = (dataDir: string) => path.join(dataDir, 'nats-auth.json');

/** The credentials kept in DATA_DIR/nats-auth.json (mode 0600), created on first use. */
export async function loadOrCreateCredentials(dataDir: string): Promise<NatsCredentials> {
  const make = () => {
    const creds = Object.fromEntries(
      (Object.keys(BUS_PERMISSIONS) as BusRole[]).map((role) => [role, { user: role, password: randomBytes(24).toString('hex') }]),
    );
    return `${JSON.stringify(creds, null, 2)}\n`;
  };
  return JSON.parse((await loadOrCreateSecret(credentialsFile(dataDir), make)).value) as NatsCredentials;
}

/** The `users` of nats-server's `authorization` block: one per role, with that role's permissions. */
function users(login: (role: BusRole) => { user: string; password: string }) {
  return (Object.keys(BUS_PERMISSIONS) as BusRole[]).map((role) => ({
    ...login(role),
    permissions: {
      publish: { allow: BUS_PERMISSIONS[role].publish },
      subscribe: { allow: BUS_PERMISSIONS[role].subscribe },
    },
  }));
}

/** nats-server configuration with a user per role and that role's permissions. */
export function natsAuthConfig(creds: NatsCredentials): string {
  // The configuration format accepts JSON; quoted strings keep `$JS…` from being read as variables.
  return `# Written by npm start from DATA_DIR/nats-auth.json; edits are overwritten.\nauthorization ${JSON.stringify({ users: users((role) => creds[role]) }, null, 2)}\n`;
}

/** The environment variable that holds a role's password in deploy/ (`NATS_PASSWORD_OCR_WORKER`). */
export const passwordVariable = (role: BusRole) => `NATS_PASSWORD_${role.toUpperCase().replace(/-/g, '_')}`;

/**
 * The same users for deploy/ (k3s nats.conf, compose): each password an unquoted
 * `$NATS_PASSWORD_<ROLE>`, which nats-server reads from its environment.
 * `npm run -s ops -- nats-users` prints it.
 */
export function deployNatsUsers(indent = ''): string {
  const json = JSON.stringify({ users: users((role) => ({ user: role, password: `$${passwordVariable(role)}` })) }, null, 2).replace(/"(\$NATS_PASSWORD_[A-Z_]+)"/g, '$1');
  return `${indent}authorization ${json.split('\n').join(`\n${indent}`)}\n`;
}

/**
 * Writes the configuration next to the store and returns its path: the users, and
 * JetStream's store limit when given (`max_file_store`, from the disk reserve).
 */
export async function writeNatsConfig(dataDir: string, creds: NatsCredentials, jetstream: { maxFileStore?: number } = {}): Promise<string> {
  const file = path.join(dataDir, 'nats.conf');
  const limit = jetstream.maxFileStore === undefined ? '' : `jetstream { max_file_store: ${Math.floor(jetstream.maxFileStore)} }\n`;
  await writeFile(file, natsAuthConfig(creds) + limit, { mode: 0o600 });
  return file;
}
