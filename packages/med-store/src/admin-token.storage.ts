import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadOrCreateSecret } from '@rxscan/service-kit';

export const adminTokenFile = (dataDir: string) => path.join(dataDir, 'admin-token');

/**
 * The admin secret kept in DATA_DIR/admin-token (mode 0600), made on first use.
 * `created` is true only for the call that made it: the one place that prints it.
 */
export async function loadOrCreateAdminToken(dataDir: string): Promise<{ token: string; created: boolean; file: string }> {
  await mkdir(dataDir, { recursive: true });
  const file = adminTokenFile(dataDir);
  const { value, created } = await loadOrCreateSecret(file, () => `rxa_${randomBytes(32).toString('base64url')}\n`);
  const token = value.trim();
  if (!token) throw new Error(`${file} is empty; delete it to have a new admin secret made, or set MEDS_ADMIN_TOKEN`);
  return { token, created, file };
}
