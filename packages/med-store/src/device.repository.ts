import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { isRecordId, type DeviceView, type PairingCodeView, type SessionView } from '@rxscan/contracts';
import { DeviceSchema, PairingCodeSchema, type DeviceRow } from './table.schema.js';

/** Letters and digits nobody confuses when reading them off one screen into another (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
/** last_seen_at is a hint for the device list, not an audit log: written at most this often. */
const SEEN_RESOLUTION_MS = 5 * 60_000;

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** How a person types a code: any case, with or without the dash or spaces. */
export const normaliseCode = (raw: string): string => raw.toUpperCase().replace(/[^A-Z0-9]/g, '');

const deviceView = (d: DeviceRow): DeviceView => ({ id: d.id, name: d.name, created_at: d.created_at, last_seen_at: d.last_seen_at });

export interface DeviceRegistryOptions {
  /** The admin secret: accepted as a bearer token everywhere, and the only one that may pair and revoke. Absent for the ops CLI, which works on the database itself. */
  adminToken?: string;
  pairingTtlMs?: number;
  now?: () => Date;
}

/**
 * Who may use the API. An admin makes a short-lived, single-use pairing code; a
 * device that presents it gets its own long-lived random token. Codes and tokens are
 * stored as SHA-256 hashes: both are random with enough entropy that a slow hash adds
 * nothing, and a leaked database gives nobody a working token.
 */
export class DeviceRegistry {
  private readonly adminHash: Buffer | null;
  private readonly pairingTtlMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly orm: MikroORM,
    options: DeviceRegistryOptions = {},
  ) {
    this.adminHash = options.adminToken ? Buffer.from(sha256(options.adminToken), 'hex') : null;
    this.pairingTtlMs = options.pairingTtlMs ?? 10 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Who a token belongs to, or null for an unknown or revoked one. */
  async session(token: string): Promise<SessionView | null> {
    if (!token) return null;
    const hash = sha256(token);
    // Compared as fixed-length hashes, so the comparison's time says nothing about the secret.
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) return { kind: 'admin', device: null };
    const em = this.orm.em.fork();
    const device = await em.findOne(DeviceSchema, { token_hash: hash, revoked_at: null });
    if (!device) return null;
    const now = this.now();
    if (!device.last_seen_at || now.getTime() - Date.parse(device.last_seen_at) > SEEN_RESOLUTION_MS) {
      await em.nativeUpdate(DeviceSchema, { id: device.id }, { last_seen_at: now.toISOString() });
      device.last_seen_at = now.toISOString();
    }
    return { kind: 'device', device: deviceView(device) };
  }

  async createPairingCode(): Promise<PairingCodeView> {
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const expires = this.now().getTime() + this.pairingTtlMs;
    const em = this.orm.em.fork();
    // Expired codes are of no use to anyone; clear them while we are here.
    await em.nativeDelete(PairingCodeSchema, { expires_at: { $lt: this.now().getTime() } });
    await em.insert(PairingCodeSchema, { code_hash: sha256(code), expires_at: expires, used_at: null });
    return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expires_at: new Date(expires).toISOString() };
  }

  /** Spends a pairing code on a new device; null when the code is unknown, used or expired. */
  async pair(code: string, name: string): Promise<{ device: DeviceView; token: string } | null> {
    const normalised = normaliseCode(code);
    if (normalised.length !== CODE_LENGTH) return null;
    const now = this.now();
    const token = `rxd_${randomBytes(32).toString('base64url')}`;
    const device: DeviceRow = {
      id: randomUUID(),
      name,
      token_hash: sha256(token),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      revoked_at: null,
    };
    return this.orm.em.fork().transactional(async (em) => {
      // The conditional update is the claim: of two tablets racing with one code, one wins.
      const claimed = await em.nativeUpdate(
        PairingCodeSchema,
        { code_hash: sha256(normalised), used_at: null, expires_at: { $gte: now.getTime() } },
        { used_at: now.toISOString() },
      );
      if (claimed !== 1) return null;
      await em.insert(DeviceSchema, device);
      return { device: deviceView(device), token };
    });
  }

  /** Devices still paired, oldest first. */
  async list(): Promise<DeviceView[]> {
    const rows = await this.orm.em.fork().find(DeviceSchema, { revoked_at: null }, { orderBy: { created_at: 'asc' } });
    return rows.map(deviceView);
  }

  /** Revokes a device's token for good; false when there is no such paired device. */
  async revoke(id: string): Promise<boolean> {
    if (!isRecordId(id)) return false;
    const changed = await this.orm.em.fork().nativeUpdate(DeviceSchema, { id, revoked_at: null }, { revoked_at: this.now().toISOString() });
    return changed === 1;
  }
}
