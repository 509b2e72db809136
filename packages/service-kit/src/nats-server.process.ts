import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';

/** nats-server is not installed; the message says how to get it. */
export class NatsServerMissingError extends Error {
  override readonly name = 'NatsServerMissingError';
  constructor() {
    super(
      'nats-server was not found on PATH or at /usr/sbin/nats-server.\n' +
        '  Debian/Ubuntu: sudo apt-get install nats-server\n' +
        '  Other systems: install nats-server 2.10 or newer from the NATS project,\n' +
        '  or point NATS_URL at a running server started with JetStream (-js).',
    );
  }
}

export function findNatsServer(): string {
  // An explicit binary is the only one tried: a wrong path is reported, not papered over.
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new NatsServerMissingError();
  }
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found) return found;
  for (const p of ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server']) {
    if (existsSync(p)) return p;
  }
  throw new NatsServerMissingError();
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `n` different free ports. Each is held open until all are chosen: asked one by one,
 * the OS may hand the same closed port out twice.
 */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const srv = net.createServer();
      srv.on('error', reject);
      srv.listen(0, host, () => resolve(srv));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface NatsServerOptions {
  storeDir: string;
  port?: number;
  host?: string;
  /** Extra command-line arguments (cluster routes, a config file). */
  args?: string[];
  /** Where the server's own log lines go; ignored by default. */
  onLog?: (line: string) => void;
}

export interface NatsServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM (or the given signal) and wait for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The command line of `nats-server -js` listening on `host:port` with its store in `storeDir`. */
export function natsServerArgs(opts: Required<Pick<NatsServerOptions, 'storeDir' | 'port'>> & Pick<NatsServerOptions, 'host' | 'args'>): string[] {
  return ['-js', '-a', opts.host ?? '127.0.0.1', '-p', String(opts.port), '-sd', opts.storeDir, ...(opts.args ?? [])];
}

/** Starts `nats-server -js` with its store in `storeDir` and waits until it accepts connections. */
export async function startNatsServer(opts: NatsServerOptions): Promise<NatsServerProcess> {
  const bin = findNatsServer();
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  await mkdir(opts.storeDir, { recursive: true });
  const child = spawn(bin, natsServerArgs({ ...opts, host, port }), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) opts.onLog?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const early = exited.then(() => {
    throw new Error(`nats-server exited during start-up (port ${port})`);
  });
  await Promise.race([waitForPort(port, host), early]);
  early.catch(() => {});
  return {
    url: `nats://${host}:${port}`,
    port,
    child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
