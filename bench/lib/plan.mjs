/**
 * How much each measure does. Full: the figures to report. --quick: the same measures, smaller,
 * under 3 minutes on 2 cores. --tiny (or BENCH_TINY=1): 2 photos and token counts, for the test
 * that checks the bench still runs end to end.
 */
export function planFor({ quick, tiny }) {
  if (tiny) {
    return {
      labels: 2,
      acceptWarmup: 8,
      acceptCounts: { 1: 10, 16: 32, 64: 64 },
      statusJobs: 30,
      statusConnections: 200,
      statusRequests: 1000,
      statusPollSeconds: 2,
      burst: 2,
      pushMessages: 10,
      projectionEvents: 300,
      memoryCheckpoints: [2, 4],
      // The priority measure starts a whole system of its own: left out of the tiny run (run it with --only=priority).
      priorityBacklog: 0,
      // engines: one label through each engine, no throughput rounds, no per-call command variant
      engines: { labels: 1, lanes: false, process: false },
    };
  }
  if (quick) {
    return {
      labels: 12, // 3 of each capture condition
      acceptWarmup: 50,
      acceptCounts: { 1: 100, 16: 400, 64: 640 },
      statusJobs: 300,
      statusConnections: 200,
      statusRequests: 6000,
      statusPollSeconds: 10,
      burst: 8,
      pushMessages: 100,
      projectionEvents: 2000,
      memoryCheckpoints: [10, 30],
      priorityBacklog: 100,
      engines: { labels: 12, lanes: true, process: true },
    };
  }
  return {
    labels: Infinity,
    acceptWarmup: 100,
    acceptCounts: { 1: 500, 16: 2000, 64: 4000 },
    statusJobs: 1000,
    statusConnections: 200,
    statusRequests: 50_000,
    statusPollSeconds: 30,
    burst: 48,
    pushMessages: 500,
    projectionEvents: 10_000,
    memoryCheckpoints: [10, 100, 300],
    priorityBacklog: 100,
    engines: { labels: Infinity, lanes: true, process: true },
  };
}
