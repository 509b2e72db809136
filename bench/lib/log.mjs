import pino from 'pino';

/**
 * Services started in-process log to stderr, errors only: the per-request info lines would cost
 * the server time the floor does not spend, the warnings at shutdown are expected, and stdout
 * is kept for the table and the JSON line. BENCH_LOG_LEVEL=info shows everything.
 */
export const benchLogger = (service) =>
  pino({ base: { service }, level: process.env.BENCH_LOG_LEVEL ?? 'error' }, pino.destination({ dest: 2, sync: true }));

/** Progress goes to stderr too. */
export const progress = (line) => process.stderr.write(`[bench] ${line}\n`);
