/** The keys every result carries (null when not measured), in the order they are listed. */
export const REQUIRED_KEYS = [
  'accept_p50_ms',
  'accept_p99_ms',
  'status_p99_ms',
  'ocr_median_ms',
  'native_median_ms',
  'engine_native_median_ms',
  'engine_native_cpu_s_per_label',
  'engine_native_labels_per_min_2w',
  'engine_wasm_median_ms',
  'engine_wasm_cpu_s_per_label',
  'engine_wasm_labels_per_min_2w',
  'ocr_vs_native',
  'ocr_critical',
  'native_critical',
  'labels_per_min_1w',
  'labels_per_min_2w',
  'e2e_p50_ms',
  'push_p50_ms',
  'projection_events_per_s',
  'worker_rss_mb_10',
  'worker_rss_mb_300',
  'priority_scan_ms',
  'priority_backlog',
];

/** A plain-text table: measure, figure, detail. */
export function formatTable(rows) {
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => `${String(r[0]).padEnd(widths[0])}  ${String(r[1]).padEnd(widths[1])}  ${r[2] ?? ''}`.trimEnd()).join('\n');
}
