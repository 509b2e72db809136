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

/** nats-server configuration with a user per role and that role's permissions. */
export function natsAuthConfig(creds: NatsCredentials): string {
  const users = (Object.keys(BUS_PERMISSIONS) as BusRole[]).map((role) => ({
    user: creds[role].user,
    password: creds[role].password,
    permissions: {
      publish: { allow: BUS_PERMISSIONS[role].publish },
      subscribe: { allow: BUS_PERMISSIONS[role].subscribe },
    },
  }));
  // The configuration format accepts JSON; quoted strings keep `$JS…` from being read as variables.
  return `# Written by npm start from DATA_DIR/nats-auth.json; edits are overwritten.\nauthorization ${JSON.stringify({ users }, null, 2)}\n`;
}

/** Writes the configuration next to the store and returns its path. */
export async function writeNatsConfig(dataDir: string, creds: NatsCredentials): Promise<string> {
  const file = path.join(dataDir, 'nats.conf');
  await writeFile(file, natsAuthConfig(creds), { mode: 0o600 });
  return file;
}
