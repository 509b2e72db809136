/**
 * One reserve for the data disk (MIN_FREE_DISK_MB): photos, the NATS store and the
 * SQLite file share it. Uploads stop while less than the reserve is free, so the work
 * already accepted can still finish in it; JetStream is capped so that its own growth
 * alone can never take the last half of the reserve.
 */
export interface DiskFigures {
  /** Bytes JetStream's store holds now. */
  storeBytes: number;
  /** Bytes free on the disk now (for an unprivileged writer). */
  freeBytes: number;
  reserveBytes: number;
}

/**
 * JetStream's `max_file_store` for a server starting now: what it holds, plus what is
 * free down to half the reserve, and never less than half the reserve of growth, so a
 * server started on a nearly full disk is not capped below its next few thousand events.
 * Fixed until the server restarts (nats-server 2.9 cannot reload it).
 */
export function jetstreamStoreLimit({ storeBytes, freeBytes, reserveBytes }: DiskFigures): number {
  const half = Math.floor(reserveBytes / 2);
  return storeBytes + Math.max(freeBytes - half, half, 1024 * 1024);
}

/** Whether writing `bytes` more would leave less than the reserve free. */
export const eatsIntoReserve = (freeBytes: number, bytes: number, reserveBytes: number): boolean => freeBytes - bytes < reserveBytes;
