import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

export interface ServiceSpec {
  name: string;
  /** Node script to run. */
  script: string;
  env: Record<string, string>;
}

type Say = (line: string) => void;

/**
 * Keeps one service process running, as a k3s Deployment would: a process that
 * dies is started again after a back-off that grows while it keeps failing.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
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

  start(): void {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [this.spec.script], {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.onStarted(child.pid);
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream! }).on('line', (line) => this.output(this.spec.name, line));
    }
    child.once('exit', (code, signal) => {
      this.child = null;
      if (this.stopping) return;
      // A run that lasted a minute was healthy: start the back-off again from the bottom.
      this.failures = Date.now() - startedAt > 60_000 ? 1 : this.failures + 1;
      const delay = Math.min(30_000, 500 * 2 ** (this.failures - 1));
      this.say(`${this.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)} s`);
      this.restartTimer = setTimeout(() => {
        this.restarts++;
        this.start();
      }, delay);
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
