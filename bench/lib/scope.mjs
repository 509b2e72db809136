import { spawn } from 'node:child_process';

/**
 * Everything a measure starts (servers, child processes, temp dirs) is registered in a scope and
 * undone in reverse order on success, on failure and on Ctrl-C, so a run never leaves a
 * nats-server, a launcher or a temp dir behind.
 */
const live = new Set();
const children = new Set();

export function createScope(name) {
  const undo = [];
  const scope = {
    name,
    defer(fn) {
      undo.push(fn);
    },
    async close() {
      live.delete(scope);
      while (undo.length) {
        const fn = undo.pop();
        try {
          await fn();
        } catch (err) {
          process.stderr.write(`[bench] cleanup of ${name} failed: ${err?.message ?? err}\n`);
        }
      }
    },
  };
  live.add(scope);
  return scope;
}

export async function withScope(name, fn) {
  const scope = createScope(name);
  try {
    return await fn(scope);
  } finally {
    await scope.close();
  }
}

/** Closes every open scope, newest first, then kills any child still running (by its own pid). */
export async function closeAll() {
  for (const scope of [...live].reverse()) await scope.close();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Remembers a child so that closeAll() can end it if its owner never gets the chance. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** spawn(), tracked. */
const spawnTracked = (cmd, args, opts) => track(spawn(cmd, args, opts));

/** Runs a child to the end; resolves with its exit code and output. */
export function runChild(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin?.end();
  });
}
