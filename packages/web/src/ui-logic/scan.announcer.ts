import { sentence } from './api.errors.js';
import { PHASE_TEXT, type ScanJob } from './scan-job.state.js';

/**
 * What a screen reader should hear after the cards changed: each card whose phase
 * or action changed, in one sentence per card. Null when nothing worth saying changed
 * (the seconds ticking, say).
 */
export function announcementFor(before: readonly ScanJob[], after: readonly ScanJob[]): string | null {
  const lines: string[] = [];
  for (const job of after) {
    const prev = before.find((j) => j.key === job.key);
    const name = `Scan ${job.number}`;
    // A card found again after a reload is not news; its next change is.
    if (!prev && job.restored) continue;
    if (!prev || prev.phase !== job.phase) {
      const result = job.phase === 'completed' ? job.view?.result : undefined;
      let line = `${name}: ${PHASE_TEXT[job.phase]}`;
      if (result) line += result.medication.name ? ` — ${result.medication.name}` : ' — the name could not be read';
      lines.push(sentence(line));
      if ((job.phase === 'failed' || job.phase === 'upload-failed') && job.problem) lines.push(sentence(job.problem));
    }
    if (job.actionProblem && job.actionProblem !== prev?.actionProblem) lines.push(sentence(`${name}: ${job.actionProblem}`));
  }
  return lines.length > 0 ? lines.join(' ') : null;
}
