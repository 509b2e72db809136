import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibration, checkField, checkRecord, normDate, scorePredictions, sequenceRatio, type Prediction, type TruthFile } from './prediction.scorer.js';
import { reviewSummary } from './prediction.report.js';

const truth = (t: Record<string, unknown>, file = 'a.jpg', level = 'clean'): TruthFile => ({
  file,
  level,
  truth: { name: 'Amlodipine Besylate', name_base: 'Amlodipine', dosage: '10 mg', schedule: 'Once daily', as_needed: false, quantity: 30, refills: 2, prescriber: 'Sarah Smith', rx_number: '123-456', sig: 'TAKE 1 TABLET BY MOUTH DAILY', ...t },
});

describe('the scorer, field by field', () => {
  const t = truth({}).truth;
  it('takes the name printed or its base, and a salt may be left out but not be wrong', () => {
    expect(checkField('name', 'AMLODIPINE', t)).toBe(true);
    expect(checkField('name', 'amlodipine besylate', t)).toBe(true);
    expect(checkField('name', 'Amlodipine Maleate', t)).toBe(false);
  });
  it('compares strengths by their numbers and units', () => {
    expect(checkField('dosage', '10mg', t)).toBe(true);
    expect(checkField('dosage', '10 mcg', t)).toBe(false);
  });
  it('reads a prescriber in any order without titles', () => {
    expect(checkField('prescriber', 'DR. SMITH SARAH', t)).toBe(true);
    expect(checkField('prescriber', 'Sarah Smyth', t)).toBe(false);
  });
  it('wants nothing invented where the label printed nothing', () => {
    expect(checkField('refills', null, { ...t, refills: null })).toBe(true);
    expect(checkField('refills', 0, { ...t, refills: null })).toBe(false);
  });
  it('reads dates written three ways, by calendar day', () => {
    expect(normDate('2026-05-10')).toEqual([2026, 5, 10]);
    expect(normDate('05/10/26')).toEqual([2026, 5, 10]);
    expect(normDate('10-May-2026')).toEqual([2026, 5, 10]);
    expect(checkRecord('date_filled', '2026-05-10', { date_filled: '05/10/2026' })).toBe(true);
    expect(checkRecord('discard_after', null, {})).toBe(null);
  });
  it('measures directions like difflib', () => {
    expect(sequenceRatio('abcd', 'bcde')).toBeCloseTo(0.75);
    expect(sequenceRatio('', '')).toBe(1);
  });
});

describe('the scorer over a set', () => {
  it('counts a wrong critical field left unflagged as a silent error, and confident wrong fields', () => {
    const truths = [truth({}, 'a.jpg', 'clean'), truth({}, 'b.jpg', 'hard')];
    const lines: Prediction[] = [
      { file: 'x/a.jpg', ...truths[0]!.truth, confidence: { quantity: 0.95 }, needs_review: false },
      { file: 'b.jpg', ...truths[1]!.truth, quantity: 20, confidence: { quantity: 0.95 }, needs_review: false },
    ];
    const s = scorePredictions(truths, lines);
    expect(s.critical_all_correct).toBe(0.5);
    expect(s.critical_by_level).toEqual({ clean: '1/1', hard: '0/1' });
    expect(s.silent_error_rate).toBe(0.5);
    expect(s.confident_wrong_fields).toBe('1/2');
    expect(calibration(truths, lines, ['quantity']).find((b) => b.fields > 0)).toMatchObject({ band: '0.95–1.00', fields: 2, right: 1 });
  });
  it('counts the labels read right and still sent to a person, apart from the wrong ones in review', () => {
    const truths = [truth({}, 'a.jpg', 'clean'), truth({}, 'b.jpg', 'clean'), truth({}, 'c.jpg', 'hard'), truth({}, 'd.jpg', 'hard')];
    const lines: Prediction[] = [
      { file: 'a.jpg', ...truths[0]!.truth, needs_review: false },
      { file: 'b.jpg', ...truths[1]!.truth, needs_review: true },
      { file: 'c.jpg', ...truths[2]!.truth, quantity: 20, needs_review: true },
    ]; // d.jpg not read at all: in review, and not right
    expect(reviewSummary(truths, lines)).toEqual({ in_review: 3, right: 2, right_in_review: 1 });
  });
});

const SHARED = resolve(import.meta.dirname, '../../../../../shared');
const SCORE_PY = join(SHARED, 'eval/score.py');
const DEV = join(SHARED, 'corpus/labels-dev');
const present = existsSync(SCORE_PY) && existsSync(DEV);

/** Predictions that go wrong in the ways extraction does: other spellings, misreads, gaps, odd types. */
function perturbed(truths: TruthFile[]): Prediction[] {
  return truths.map((m, i) => {
    const t = m.truth as Record<string, unknown>;
    const p: Prediction = { file: `/some/dir/${m.file}`, ms: 500 + ((i * 37) % 900) };
    const k = i % 12;
    p.name = k === 0 ? String(t.name_base).toUpperCase() : k === 1 ? `${t.name} ER` : k === 2 ? null : t.name;
    p.dosage = k === 3 ? String(t.dosage).replace(/\d/, '7') : k === 4 ? String(t.dosage).replace(' ', '').toUpperCase() : t.dosage;
    p.schedule = k === 5 ? 'Twice daily' : k === 6 ? ` ${String(t.schedule).toUpperCase()} ` : t.schedule;
    p.as_needed = k === 7 ? !t.as_needed : t.as_needed;
    p.quantity = k === 8 ? String(t.quantity) : k === 9 ? Number(t.quantity) + 1 : k === 10 ? `${t.quantity} tablets` : t.quantity;
    p.refills = k === 2 ? null : t.refills;
    p.prescriber = k === 4 ? `DR. ${String(t.prescriber).toUpperCase().split(' ').reverse().join(', ')}` : k === 11 ? 'Someone Else' : t.prescriber;
    p.rx_number = k === 6 ? `${t.rx_number}9` : t.rx_number;
    p.sig = k === 7 ? String(t.sig).slice(0, Math.floor(String(t.sig).length * 0.85)) : k === 8 ? `${t.sig} X` : t.sig;
    p.patient = k % 3 === 0 ? String(t.patient).split(' ').reverse().join(', ') : k % 3 === 1 ? 'Wrong Person' : null;
    p.date_filled = k % 2 === 0 ? String(t.date_filled) : '2020-01-01';
    p.discard_after = k % 4 === 0 ? null : String(t.discard_after);
    p.confidence = Object.fromEntries(['name', 'dosage', 'schedule', 'quantity', 'refills', 'prescriber', 'rx_number', 'sig', 'as_needed'].map((f, j) => [f, ((i + j) % 10) / 9]));
    p.needs_review = i % 3 === 0;
    return p;
  });
}

describe.skipIf(!present)(`the scorer against score.py on the dev corpus${present ? '' : ' (skipped: ../shared/eval/score.py or the dev corpus is not here)'}`, () => {
  it('gives the same figures as score.py', () => {
    const truths = readdirSync(DEV).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(DEV, f), 'utf8')) as TruthFile);
    const lines = perturbed(truths);
    const dir = mkdtempSync(join(tmpdir(), 'rxscan-scorer-'));
    try {
      const file = join(dir, 'p.jsonl');
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const py = JSON.parse(execFileSync('python3', [SCORE_PY, DEV, file, '--json'], { encoding: 'utf8' }).trim().split('\n').pop()!) as Record<string, unknown>;
      const ours = scorePredictions(truths, lines) as unknown as Record<string, unknown>;
      for (const k of Object.keys(py)) expect({ [k]: ours[k] }).toEqual({ [k]: py[k] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
