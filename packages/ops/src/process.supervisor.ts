import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import readline from 'node:readline';

export interface ServiceSpec {
  name: string;
  /** The program to run, and its arguments. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** How long a stop waits after SIGTERM before it sends SIGKILL. */
  graceMs: number;
  /** Runs before every start (nats-server: its store limit is worked out again). */
  beforeStart?: () => Promise<void>;
}

/** A service of ours: a Node script run by this Node. */
export const nodeService = (name: string, script: string, env: Record<string, string>, graceMs: number): ServiceSpec => ({
  name,
  command: process.execPath,
  args: [script],
  env,
  graceMs,
});

type Say = (line: string) => void;

/** A process that ran this long before it died was not crash-looping: its restart comes after the shortest back-off. */
const HEALTHY_RUN_MS = 10_000;

/**
 * util-linux's setpriv asks the kernel to SIGKILL the child when the launcher dies
 * without stopping it (even by SIGKILL), so nothing runs on without its supervisor.
 * SIGKILL, not SIGTERM: a child whose output pipe is gone cannot finish a graceful
 * stop (pino's flush at exit spins for ever on EPIPE), and its work is redone as after
 * any crash.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/**
 * Keeps one process running, as systemd or a k3s Deployment would: a process that
 * dies is started again after a back-off that grows while it keeps failing. Each
 * child runs in a process group of its own, so a Ctrl-C in the terminal reaches
 * only the launcher, which stops the children in order.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private halted = false;
  private failures = 0;
  private restartNow = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  restarts = 0;

  constructor(
    readonly spec: ServiceSpec,
    private readonly say: Say,
    private readonly output: (name: string, line: string) => void,
    /** Called with the new pid each time the process is (re)started. */
    private readonly onStarted: (pid: number | undefined) => void = () => {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How long the current process has been running; 0 when none runs. */
  get upMs(): number {
    return this.child ? Date.now() - this.startedAt : 0;
  }

  async start(): Promise<void> {
    if (this.halted) return;
    try {
      await this.spec.beforeStart?.();
    } catch (err) {
      this.say(`${this.spec.name}: preparing the start failed: ${(err as Error).message}`);
    }
    if (this.halted) return;
    const { command, args } = this.spec;
    const [bin, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
    const child = spawn(bin, argv, { env: { ...process.env, ...this.spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.startedAt = Date.now();
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        this.onExit(code, signal);
      });
      child.once('error', (err) => {
        this.say(`${this.spec.name} could not be started: ${err.message}`);
        if (child.pid !== undefined) return;
        resolve();
        this.onExit(127, null);
      });
    });
    this.onStarted(child.pid);
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream! }).on('line', (line) => this.output(this.spec.name, line));
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const ranMs = Date.now() - this.startedAt;
    this.child = null;
    if (this.halted) return;
    // A run that lasted a while was healthy: the back-off only grows for a process that dies soon after it starts.
    this.failures = ranMs > HEALTHY_RUN_MS ? 1 : this.failures + 1;
    const delay = this.restartNow ? 0 : Math.min(30_000, 500 * 2 ** (this.failures - 1));
    this.restartNow = false;
    this.say(`${this.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)} s`);
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      void this.start();
    }, delay);
  }

  /** No restart from now on, whatever happens to the process; it keeps running until stop(). */
  halt(): void {
    this.halted = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. Never restarts it. */
  async stop(): Promise<void> {
    this.halt();
    const child = this.child;
    if (!child) return;
    const timer = setTimeout(() => {
      this.say(`${this.spec.name} did not stop within ${this.spec.graceMs / 1000} s; sending SIGKILL`);
      child.kill('SIGKILL');
    }, this.spec.graceMs);
    child.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL at once (a second Ctrl-C). */
  kill(): void {
    this.halt();
    this.child?.kill('SIGKILL');
  }

  /**
   * Ends a process that runs but does not work (a liveness check failed) and starts it
   * again at once: SIGTERM, SIGKILL after `graceMs`.
   */
  async restart(reason: string, graceMs = 3000): Promise<void> {
    const child = this.child;
    if (this.halted || !child) return;
    this.say(`restarting ${this.spec.name}: ${reason}`);
    // Ended on purpose: neither a failure of its own nor a reason to wait.
    this.restartNow = true;
    this.failures = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Stops the processes step by step (each step's processes together), never restarting
 * any of them meanwhile; `hurry()` kills whatever is left at once.
 */
export function stopInOrder(steps: SupervisedProcess[][]): { done: Promise<void>; hurry(): void } {
  const all = steps.flat();
  for (const p of all) p.halt();
  const done = (async () => {
    for (const step of steps) await Promise.all(step.map((p) => p.stop()));
  })();
  return { done, hurry: () => all.forEach((p) => p.kill()) };
}
