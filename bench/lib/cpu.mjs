import { readFileSync } from 'node:fs';

/**
 * CPU time from /proc (Linux; elsewhere every figure is null): the whole machine's, and that of
 * the processes a measure started. On a shared machine, what the others use during a measure is
 * taken from ours, so a scaling figure means little without it.
 */
function machineTicks() {
  // cpu  user nice system idle iowait irq softirq steal ...
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

function processTicks(pid) {
  try {
    // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0; // gone: its time is lost from "ours" and counted as nobody's
  }
}

/** A reading of the machine and of `pids` (by name); compare two with `cpuBetween`. */
export function cpuSnapshot(pids) {
  try {
    return { machine: machineTicks(), procs: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processTicks(pid)])) };
  } catch {
    return null;
  }
}

/**
 * Cores in use on average between two snapshots: `busy` (the machine), `steal` (taken by the
 * hypervisor), each named process, `ours` (their sum) and `others` (busy minus ours).
 */
export function cpuBetween(a, b, cores) {
  if (!a || !b) return null;
  const total = b.machine.total - a.machine.total;
  if (total <= 0) return null;
  const asCores = (ticks) => Math.round((ticks / total) * cores * 100) / 100;
  // A process restarted in between (a new pid under the same name) counts from zero.
  const used = (n) => (b.procs[n] >= (a.procs[n] ?? 0) ? b.procs[n] - (a.procs[n] ?? 0) : b.procs[n]);
  const procs = Object.fromEntries(Object.keys(b.procs).map((n) => [n, asCores(used(n))]));
  const ours = asCores(Object.keys(b.procs).reduce((s, n) => s + used(n), 0));
  const busy = asCores(b.machine.busy - a.machine.busy);
  return { busy, steal: asCores(b.machine.steal - a.machine.steal), ours, others: Math.round((busy - ours) * 100) / 100, procs };
}

/**
 * CPU-seconds this process has used, all its threads (tesseract.js runs in worker threads), plus
 * those of its children that have ended (the native engine's tesseract processes): utime, stime,
 * cutime and cstime of /proc/self/stat. Without /proc, this process's own only.
 */
export function cpuSecondsWithChildren() {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime in clock ticks (USER_HZ, 100 on Linux)
  } catch {
    // not Linux
  }
  return (own.user + own.system) / 1e6 + children;
}
