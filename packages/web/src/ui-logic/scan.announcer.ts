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
    if (!prev || prev.phase !== job.phase) {
      const medName = job.phase === 'completed' ? job.view?.result?.medication.name : null;
      let line = `${name}: ${PHASE_TEXT[job.phase]}`;
      if (medName) line += ` — ${medName}`;
      if ((job.phase === 'failed' || job.phase === 'upload-failed') && job.problem) line += `. ${job.problem}`;
      lines.push(line);
    }
    if (job.action === 'confirmed' && prev?.action !== 'confirmed') lines.push(`${name}: confirmed and added to your list`);
    if (job.actionProblem && job.actionProblem !== prev?.actionProblem) lines.push(`${name}: ${job.actionProblem}`);
  }
  return lines.length > 0 ? lines.join('. ') : null;
}
