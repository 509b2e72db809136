import { Flow, type Cell, type Item, type LabelDoc } from './doc.js';
import { isoDate, printDate, type Facts } from './facts.js';
import type { FontFace } from './fonts.js';
import type { Random } from './random.js';

/** What the truth file needs from a layout beyond the facts: the text as this layout printed it. */
export interface Printed {
  name: string;
  nameBase: string;
  aliases: string[];
  dosage: string;
  sig: string;
  prescriber: string | null;
  rx: string | null;
  refills: number | null;
  patient: string | null;
  dateFilled: string | null;
  discardAfter: string | null;
  phone: string | null;
}

export interface Rendered {
  doc: LabelDoc;
  printed: Printed;
}

export interface LayoutContext {
  f: Facts;
  r: Random;
  face: FontFace;
  /** Warning sticker wordings this split may use. */
  warnings: string[];
}

export type Layout = (c: LayoutContext) => Rendered;

const up = (s: string) => s.toUpperCase();
const title = (s: string) => s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
const FORM: Record<string, [string, string, string]> = {
  // kind: [full, short, Canadian unit]
  tab: ['TABLET', 'TAB', 'TAB'], cap: ['CAPSULE', 'CAP', 'CAP'], liquid: ['SUSPENSION', 'SUSP', 'ML'], inhaler: ['INHALER', 'INH', 'INH'],
  insulin: ['SOLUTION', 'SOLN', 'ML'], eye: ['OPHTHALMIC SOLUTION', 'OPH SOLN', 'ML'], cream: ['CREAM', 'CRM', 'G'], nasal: ['NASAL SPRAY', 'NS', 'G'],
};
const UNIT_WORD: Record<string, [string, string]> = {
  tablet: ['Tablet', 'Tablets'], capsule: ['Capsule', 'Capsules'], mL: ['mL', 'mL'], g: ['g', 'g'], inhaler: ['Inhaler', 'Inhalers'], pen: ['Pen', 'Pens'],
};
const qtyText = (f: Facts, caps: boolean): string => {
  const [one, many] = UNIT_WORD[f.quantityUnit] ?? ['', ''];
  const s = `${f.quantity} ${f.quantity === 1 ? one : many}`;
  return caps ? up(s) : s;
};
const compactDose = (s: string) => s.replace(/ (mg|mcg|g|mEq)\b/g, '$1');

function given(f: Facts['prescriber'], initial: boolean): string {
  return initial ? f.given[0]! : f.given;
}

/** Prescriber as printed and as the truth names them (initials stay initials). */
function prescriberUS(f: Facts, r: Random): { text: string; truth: string } {
  const p = f.prescriber;
  const v = r.int(0, 6);
  const ini = v === 6;
  const truth = `${given(p, ini)} ${p.surname}`;
  const cred = r.pick(['MD', 'MD', 'DO', 'NP', 'PA-C', 'DDS']);
  switch (v) {
    case 0: return { text: `DR. ${up(p.given)} ${up(p.surname)}`, truth };
    case 1: return { text: `${up(p.surname)}, ${up(p.given)} ${cred}`, truth };
    case 2: return { text: `${p.given} ${p.surname}, ${cred}`, truth };
    case 3: return { text: `Prescriber: ${p.given} ${p.surname}`, truth };
    case 4: return { text: `Prescribed by: Dr. ${p.given} ${p.surname}`, truth };
    case 5: return { text: `PRESCRIBER: ${up(p.surname)}, ${up(p.given)}`, truth };
    default: return { text: `DR. ${p.given[0]}. ${up(p.surname)}`, truth };
  }
}

function patientName(f: Facts, r: Random, style: 'us' | 'ca' | 'uk'): string {
  const p = f.patient;
  if (style === 'uk') return `${r.pick(['Mr', 'Mrs', 'Ms', 'Miss'])} ${p.given} ${up(p.surname)}`;
  return r.pick([`${up(p.given)} ${up(p.surname)}`, `${up(p.surname)}, ${up(p.given)}`, `${p.given} ${p.surname}`]);
}

function usDrugLine(f: Facts, r: Random): { line: string; name: string } {
  const form = FORM[f.drug.kind]!;
  const v = r.int(0, 3);
  const name = f.drug.name;
  if (v === 0) return { line: up(`${name} ${f.strength} ${form[0]}`), name };
  if (v === 1) return { line: `${name} ${compactDose(f.strength)} ${title(form[1])}`, name };
  if (v === 2) return { line: `${name} ${f.strength} ${title(form[0]).toLowerCase()}`, name };
  return { line: up(`${name} ${compactDose(f.strength)} ${form[1]}`), name };
}

function refillsUS(f: Facts, r: Random): string {
  if (f.refills === 0) return r.pick(['NO REFILLS', 'Refills: 0', 'No Refills - Dr. Authorization Required', 'REFILLS: NONE']);
  return r.pick([`Refills remaining: ${f.refills}`, `${f.refills} REFILLS LEFT`, `RF: ${f.refills}`, `Refills: ${f.refills}`, `REFILLS: ${f.refills}`]);
}

function sticker(c: LayoutContext, x: number, y: number, w: number): Item {
  const text = c.r.pick(c.warnings);
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const word of words) {
    if (cur && (cur + ' ' + word).length > 16) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  lines.push(cur);
  const size = 15;
  return { t: 'sticker', x, y, w, h: size * (1.6 + lines.length * 1.25), fill: c.r.pick(['#ffd23f', '#ff9f1c', '#8ecae6', '#f4a3c0', '#b9e769']), lines, size };
}

interface Frame {
  flow: Flow;
  width: number;
}

function frame(c: LayoutContext, width: number, base: number, top: number): Frame {
  const ink = c.r.pick(['#111', '#1a1a1a', '#222', '#2a2a2a']);
  const stretch = c.face.kind === 'mono' ? 0.92 : 1;
  return { flow: new Flow(c.face, 40, width - 80, top, Math.round(base * 1.15), c.r, ink, stretch), width };
}

function finish(c: LayoutContext, fr: Frame, extra: Item[] = [], paper?: string): LabelDoc {
  let height = Math.round(fr.flow.y + 60);
  let width = fr.width;
  // Auxiliary stickers go on the label beside its text, not over it: a panel on the right.
  const stickers = extra.filter((i): i is Extract<Item, { t: 'sticker' }> => i.t === 'sticker');
  for (const s of stickers) {
    s.x = width + 10;
    s.y = Math.max(20, Math.min(s.y, height - s.h - 20));
    height = Math.max(height, Math.round(s.y + s.h + 20));
  }
  if (stickers.length) width += Math.max(...stickers.map((s) => s.w)) + 30;
  return { width, height, paper: paper ?? c.r.pick(['#f7f6f2', '#ffffff', '#f2f0ea', '#fbfaf5']), face: c.face, items: [...extra, ...fr.flow.items] };
}

/** US chain: colour banner, sig above the drug line, two columns below. */
export const usChain: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1150, 1300), r.int(23, 27), 0);
  const F = fr.flow;
  const banner: Item = { t: 'rect', x: 0, y: 0, w: fr.width, h: 64, fill: f.pharmacy.colour };
  F.row([{ text: up(f.pharmacy.name), size: 30, bold: true, fill: '#fff', at: 0.07 }], 1.45);
  F.space(18);
  const phone = f.pharmacy.phone;
  F.row([{ text: `${f.pharmacy.address}  ${phone}`, size: 17 }]);
  const filled = printDate(f.filled, 'us');
  F.row([{ text: `RX# ${f.rx}`, bold: true }, { text: `DATE: ${filled}`, at: 0.5 }]);
  const patient = patientName(f, r, 'us');
  F.row([{ text: up(patient), bold: true, size: F.base + 2 }]);
  const sig = up(f.directions.sig);
  const sigLines = F.wrapped(sig, { size: F.base + 3, bold: true, maxShare: 0.78 });
  const dl = usDrugLine(f, r);
  F.row([{ text: up(dl.line), bold: true }], 1.5);
  F.row([{ text: `GENERIC FOR: ${up(f.drug.brand)}`, size: F.base - 5 }, { text: `MFR: ${f.mfr}`, size: F.base - 5, at: 0.5 }]);
  const presc = prescriberUS(f, r);
  const discard = printDate(f.discard, 'us');
  F.row([{ text: `QTY: ${r.chance(0.5) ? f.quantity : qtyText(f, true)}`, bold: true }, { text: refillsUS(f, r), at: 0.5, bold: true }]);
  F.row([{ text: presc.text }, { text: `DISCARD AFTER: ${discard}`, size: F.base - 5, at: 0.5 }]);
  const items: Item[] = [banner, { t: 'logo', cx: 45, cy: 32, r: 22, fill: '#ffffff33', letters: f.pharmacy.name[0]! }];
  // Barcodes are printed clear of the text, below it.
  items.push({ t: 'barcode', x: fr.width - 320, y: F.y + 16, w: 260, h: 50, seed: Number(f.rx.slice(0, 6)) });
  F.space(76);
  if (r.chance(0.6)) items.push(sticker(c, fr.width - 230, 120, 200));
  return {
    doc: finish(c, fr, items),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: isoDate(f.discard), phone },
  };
};

const patientTruth = (f: Facts) => `${f.patient.given} ${f.patient.surname}`;

/** US independent: two columns, Dispensed / Days supply, drug first or patient first. */
export const usIndependent: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1150, 1350), r.int(22, 26), 10);
  const F = fr.flow;
  F.row([{ text: title(f.pharmacy.name), size: 32, bold: true, at: 0.08 }, { text: f.pharmacy.phone, size: 19, at: 0.62 }]);
  F.rule();
  F.row([{ text: f.pharmacy.address, size: 16 }], 1.2);
  const drugFirst = r.chance(0.5);
  const dl = usDrugLine(f, r);
  const patient = patientName(f, r, 'us');
  const filled = printDate(f.filled, r.pick(['us', 'us-short']));
  F.row([{ text: `Rx: ${f.rx}`, bold: true }, { text: `Filled: ${filled}`, at: 0.55 }]);
  if (drugFirst) F.row([{ text: dl.line, bold: true, size: F.base + 3 }], 1.5);
  F.row([{ text: r.chance(0.5) ? `Patient: ${patient}` : patient, bold: !drugFirst, size: F.base + (drugFirst ? 0 : 2) }]);
  if (!drugFirst) F.row([{ text: dl.line, bold: true, size: F.base + 3 }], 1.5);
  const sigLines = F.wrapped(f.directions.sig, { size: F.base + 2, maxShare: 0.7 });
  const presc = prescriberUS(f, r);
  F.row([{ text: `Dispensed: ${qtyText(f, false)}` }, { text: `Days supply: ${f.daysSupply}`, at: 0.55 }], 1.5);
  F.row([{ text: refillsUS(f, r) }, { text: presc.text, at: 0.55, size: F.base - 2 }]);
  const disc = r.chance(0.7);
  F.row([{ text: disc ? `Use by ${printDate(f.discard, 'us')}` : `NDC ${f.din.slice(0, 5)}-${f.din.slice(5)}-1`, size: 17 }, { text: `Keep out of reach of children`, at: 0.55, size: 15 }]);
  F.space(10);
  const items: Item[] = [{ t: 'logo', cx: 62, cy: 45, r: 26, fill: f.pharmacy.colour, letters: f.pharmacy.name.replace(/[^A-Z]/g, '').slice(0, 2) }];
  items.push({ t: 'barcode', x: fr.width - 300, y: F.y + 10, w: 250, h: 40, seed: Number(f.rx.slice(0, 6)) });
  F.space(60);
  if (r.chance(0.5)) items.push(sticker(c, fr.width - 240, F.y - 250, 210));
  return {
    doc: finish(c, fr, items),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: disc ? isoDate(f.discard) : null, phone: f.pharmacy.phone },
  };
};

/** US mail order: patient block first, quantity with days supply, small print. */
export const usMail: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1200, 1400), r.int(21, 24), 10);
  const F = fr.flow;
  F.row([{ text: up(f.pharmacy.name), size: 26, bold: true }, { text: f.pharmacy.phone, size: 22, at: 0.68, bold: true }]);
  F.row([{ text: f.pharmacy.address, size: 15 }], 1.2);
  F.rule('#555', 3);
  const p = f.patient;
  const filled = printDate(f.filled, 'us');
  F.row([{ text: `PATIENT: ${up(p.surname)}, ${up(p.given)}` }, { text: `Rx ${f.rx}`, at: 0.62, bold: true }]);
  F.row([{ text: `Date Filled: ${filled}` }, { text: `Qty: ${qtyText(f, false)}`, at: 0.42 }, { text: `Days Supply: ${f.daysSupply}`, at: 0.7 }]);
  const dl = usDrugLine(f, r);
  F.row([{ text: up(dl.line), bold: true, size: F.base + 4 }], 1.6);
  const sigLines = F.wrapped(up(f.directions.sig), { size: F.base + 1, maxShare: 0.62 });
  const presc = prescriberUS(f, r);
  const discard = printDate(f.discard, 'us');
  F.row([{ text: presc.text.startsWith('Pres') || presc.text.startsWith('PRES') ? presc.text : `Prescriber: ${presc.text}` }, { text: f.refills === 0 ? 'No refills remaining' : `Refills: ${f.refills} before ${discard}`, at: 0.55 }], 1.5);
  F.row([{ text: `Discard after: ${discard}`, size: 16 }, { text: `Mfr: ${f.mfr}`, size: 16, at: 0.55 }]);
  const items: Item[] = [{ t: 'barcode', x: fr.width - 290, y: F.y + 16, w: 240, h: 44, seed: Number(f.rx.slice(0, 6)) }];
  F.space(70);
  if (r.chance(0.5)) items.push(sticker(c, fr.width - 250, F.y - 150, 215));
  return {
    doc: finish(c, fr, items),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: isoDate(f.discard), phone: f.pharmacy.phone },
  };
};

/** US form: every field labelled (Patient:, Medication:, Directions:, Quantity:). */
export const usForm: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1150, 1300), r.int(22, 25), 10);
  const F = fr.flow;
  F.row([{ text: up(f.pharmacy.name), size: 28, bold: true }]);
  F.rule();
  const patient = patientName(f, r, 'us');
  F.row([{ text: `Patient: ${patient}` }, { text: `Rx #: ${f.rx}`, at: 0.6, bold: true }]);
  const name = f.drug.name;
  F.row([{ text: `Medication: ${name} ${f.strength}`, bold: true, size: F.base + 2 }]);
  F.row([{ text: `Form: ${title(FORM[f.drug.kind]![0])}`, size: F.base - 3 }, { text: `Substitutes: ${f.drug.brand}`, at: 0.6, size: F.base - 3 }]);
  const sigText = f.directions.sig[0] + f.directions.sig.slice(1).toLowerCase();
  const lines = F.wrapped(`Directions: ${sigText}`, { maxShare: 0.85 });
  const sig = lines.join(' ').replace(/^Directions: /, '');
  F.row([{ text: `Quantity: ${f.quantity}${f.quantityUnit === 'mL' || f.quantityUnit === 'g' ? ` ${f.quantityUnit}` : ''}` }, { text: f.refills === 0 ? 'No refills' : `Refills remaining: ${f.refills}`, at: 0.6 }]);
  const presc = `${f.prescriber.given} ${f.prescriber.surname}`;
  F.row([{ text: `Prescribed by: ${presc}, ${r.pick(['MD', 'NP', 'DO'])}` }]);
  F.row([{ text: `Date filled: ${printDate(f.filled, 'us')}`, size: F.base - 4 }, { text: f.pharmacy.phone, at: 0.6, size: F.base - 4 }]);
  const items: Item[] = [{ t: 'barcode', x: fr.width - 280, y: F.y + 16, w: 230, h: 44, seed: Number(f.rx.slice(0, 6)) }];
  F.space(70);
  return {
    doc: finish(c, fr, items),
    printed: { name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig, prescriber: presc, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: null, phone: f.pharmacy.phone },
  };
};

/** The textbook label: "Sig:" before the drug line, "Disp:" for the quantity. */
export const usTextbook: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1100, 1250), r.int(22, 25), 10);
  const F = fr.flow;
  F.row([{ text: up(f.pharmacy.name), bold: true, size: 28 }, { text: `Ph: ${f.pharmacy.phone}`, at: 0.62, size: 19 }]);
  F.row([{ text: `Rx: ${f.rx}` }, { text: `Filled: ${printDate(f.filled, 'us')}`, at: 0.55 }]);
  const patient = patientName(f, r, 'us');
  F.row([{ text: up(patient), bold: true }]);
  const lines = F.wrapped(`Sig: ${f.directions.sig}`, { maxShare: 0.9 });
  const form = FORM[f.drug.kind]!;
  const name = f.drug.name;
  F.row([{ text: `${name} ${compactDose(f.strength)} ${title(form[1])}`, bold: true, size: F.base + 2 }], 1.5);
  const disc = printDate(f.discard, 'us');
  F.row([{ text: `Disp: ${qtyText(f, false)}` }, { text: f.refills === 0 ? 'No Refills' : `Refills: ${f.refills} before ${disc}`, at: 0.5 }]);
  const presc = prescriberUS(f, r);
  F.row([{ text: presc.text }]);
  F.row([{ text: `Exp: ${disc}`, size: 16 }]);
  F.space(10);
  return {
    doc: finish(c, fr, r.chance(0.5) ? [sticker(c, fr.width - 230, 90, 200)] : []),
    printed: { name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: lines.join(' ').replace(/^Sig: /, ''), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: isoDate(f.discard), phone: f.pharmacy.phone },
  };
};

/** Held out of training: a kiosk/thermal layout with its own field words. */
export const usKiosk: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(950, 1050), r.int(22, 24), 10);
  const F = fr.flow;
  F.row([{ text: `** ${up(f.pharmacy.name)} **`, bold: true, size: 24 }]);
  F.row([{ text: `${f.pharmacy.phone}`, size: 18 }]);
  const dl = usDrugLine(f, r);
  F.row([{ text: up(dl.line), bold: true, size: F.base + 2 }], 1.5);
  const lines = F.wrapped(up(f.directions.sig), { maxShare: 0.95 });
  F.row([{ text: `QTY DISPENSED: ${qtyText(f, true)}` }]);
  F.row([{ text: `REFILLS LEFT: ${f.refills}` }]);
  const p = f.prescriber;
  F.row([{ text: `PRESCRIBING DR: ${up(p.surname)}, ${up(p.given)}` }]);
  F.row([{ text: `FOR: ${up(f.patient.given)} ${up(f.patient.surname)}` }]);
  F.row([{ text: `RX ${f.rx}   FILL DATE ${printDate(f.filled, 'us')}` }]);
  F.row([{ text: `BEST BEFORE ${printDate(f.discard, 'us')}`, size: 18 }]);
  F.space(10);
  return {
    doc: finish(c, fr, [], '#fdfdfb'),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: lines.join(' '), prescriber: `${p.given} ${p.surname}`, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: isoDate(f.discard), phone: f.pharmacy.phone },
  };
};

/**
 * A probe, in neither split: the fields as a grid, the words in a small header row and the values
 * in the row below ("QTY  REFILLS  FILLED" over "30 TABLETS  2  03/14/2025"), as hospital
 * outpatient and some chain labels print them; the drug and patient in labelled lines. It measures
 * how the parser does on an arrangement it was never developed against (`synthesise({ probe })`).
 */
export const usGrid: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1150, 1300), r.int(22, 25), 10);
  const F = fr.flow;
  F.row([{ text: up(f.pharmacy.name), bold: true, size: 26 }, { text: f.pharmacy.phone, at: 0.64, size: 19 }]);
  F.row([{ text: f.pharmacy.address, size: 15 }], 1.15);
  F.rule(f.pharmacy.colour, 3);
  const patient = patientName(f, r, 'us');
  F.row([{ text: r.chance(0.5) ? `PATIENT  ${up(patient)}` : up(patient), bold: true }, { text: `RX ${f.rx}`, at: 0.64, bold: true }]);
  const sigFirst = r.chance(0.5);
  const dl = usDrugLine(f, r);
  let sigLines: string[] = [];
  if (sigFirst) sigLines = F.wrapped(up(f.directions.sig), { size: F.base + 2, bold: true, maxShare: 0.85 });
  F.row([{ text: up(dl.line), bold: true, size: F.base + 1 }], 1.5);
  if (!sigFirst) sigLines = F.wrapped(up(f.directions.sig), { size: F.base + 2, bold: true, maxShare: 0.85 });
  const p = f.prescriber;
  const presc = r.chance(0.5) ? { text: `${p.given[0]}. ${up(p.surname)}`, truth: `${p.given[0]} ${p.surname}` } : { text: `${up(p.surname)}, ${up(p.given)}`, truth: `${p.given} ${p.surname}` };
  const head = { size: F.base - 6, bold: true };
  const cols = [0, 0.27, 0.42, 0.64];
  F.row([{ text: 'QTY', at: cols[0], ...head }, { text: 'REFILLS', at: cols[1], ...head }, { text: 'FILLED', at: cols[2], ...head }, { text: 'PRESCRIBER', at: cols[3], ...head }], 1.7);
  F.row([{ text: qtyText(f, true), at: cols[0] }, { text: String(f.refills), at: cols[1] }, { text: printDate(f.filled, 'us'), at: cols[2] }, { text: presc.text, at: cols[3] }], 1.25);
  const discard = printDate(f.discard, 'us');
  F.row([{ text: `DISCARD AFTER ${discard}`, size: 16 }, { text: `MFR ${f.mfr}`, at: 0.42, size: 16 }], 1.5);
  F.space(10);
  return {
    doc: finish(c, fr, r.chance(0.5) ? [sticker(c, fr.width - 240, 100, 210)] : []),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: isoDate(f.discard), phone: f.pharmacy.phone },
  };
};

/**
 * A second probe, in neither split: a narrow label (a small vial, or the strip beside a
 * pharmacy's own printed monograph) with the fields stacked, each caption on its own short line
 * and its value on the next ("Quantity" / "30 tablets", "Refills" / "2", "Prescriber" /
 * "Dr. Jane Smith", "Date filled" / "03/14/2025"), as US hospital outpatient, mail-order insert and
 * some Canadian vial labels print them. Captions vary in wording and case as real printers do.
 */
export const usStacked: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(760, 900), r.int(22, 25), 10);
  const F = fr.flow;
  F.row([{ text: up(f.pharmacy.name), bold: true, size: 24 }]);
  F.row([{ text: f.pharmacy.phone, size: 18 }], 1.15);
  F.rule(f.pharmacy.colour, 3);
  const caps = r.chance(0.5);
  const cap = (s: string) => (caps ? up(s) : s);
  const head = { size: F.base - 6, bold: true };
  const pair = (caption: string, value: string, bold = false) => {
    // The caption sits close over its own value, clear of the value above it.
    F.row([{ text: cap(caption), ...head }], 2);
    F.row([{ text: value, bold }], 1.15);
  };
  const patient = patientName(f, r, 'us');
  if (r.chance(0.5)) pair('Patient', up(patient), true);
  else F.row([{ text: up(patient), bold: true }], 1.4);
  const dl = usDrugLine(f, r);
  F.row([{ text: up(dl.line), bold: true, size: F.base + 1 }], 1.5);
  const sigLines = F.wrapped(caps ? up(f.directions.sig) : f.directions.sig, { size: F.base + 1, maxShare: 0.95 });
  F.space(8);
  const p = f.prescriber;
  const presc = r.pick([
    { text: `Dr. ${p.given} ${p.surname}`, truth: `${p.given} ${p.surname}` },
    { text: `${up(p.surname)}, ${up(p.given)}`, truth: `${p.given} ${p.surname}` },
    { text: `${p.given[0]}. ${p.surname}, ${r.pick(['MD', 'DO', 'NP'])}`, truth: `${p.given[0]} ${p.surname}` },
  ]);
  const filled = printDate(f.filled, r.pick(['us', 'us', 'us-short']));
  const discard = printDate(f.discard, 'us');
  const showDiscard = r.chance(0.6);
  pair(r.pick(['Rx #', 'Rx number', 'Rx No.']), f.rx, true);
  pair(r.pick(['Quantity', 'Qty', 'Dispensed']), r.chance(0.7) ? qtyText(f, caps) : String(f.quantity));
  pair(r.pick(['Refills', 'Refills remaining', 'Refills left']), f.refills === 0 && r.chance(0.5) ? cap('None') : String(f.refills));
  pair(r.pick(['Prescriber', 'Prescribed by', 'Doctor']), presc.text);
  pair(r.pick(['Date filled', 'Filled', 'Fill date']), filled);
  if (showDiscard) pair(r.pick(['Discard after', 'Use before']), discard);
  F.space(10);
  return {
    doc: finish(c, fr, r.chance(0.4) ? [sticker(c, fr.width - 230, 100, 200)] : []),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: showDiscard ? isoDate(f.discard) : null, phone: f.pharmacy.phone },
  };
};

/**
 * A third probe, in neither split, arranged anew for every label: the patient, the drug line and
 * the directions in a random order, and the small fields (Rx number, quantity, refills, prescriber,
 * dates, days supply) shuffled one to three to a row between them, each under a caption drawn from
 * the words US pharmacy systems print, in capitals or not, after a colon or a space. No parser rule
 * is written for one arrangement of it: it measures how layouts nobody wrote are read
 * (`synthesise({ probeShuffled })`).
 */
export const usShuffled: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1150, 1350), r.int(22, 26), 10);
  const F = fr.flow;
  const caps = r.chance(0.5);
  const cap = (s: string) => (caps ? up(s) : s);
  const sep = r.pick([': ', ' ', ': ']);
  const field = (captions: string[], value: string) => `${cap(r.pick(captions))}${sep}${value}`;
  if (r.chance(0.5)) F.row([{ text: up(f.pharmacy.name), bold: true, size: r.int(24, 30) }, { text: f.pharmacy.phone, at: 0.64, size: 18 }]);
  else {
    F.row([{ text: title(f.pharmacy.name), bold: true, size: r.int(24, 30) }]);
    F.row([{ text: `${f.pharmacy.address}  ${f.pharmacy.phone}`, size: 16 }], 1.15);
  }
  F.rule(r.chance(0.5) ? f.pharmacy.colour : '#222', r.int(2, 4));
  const dl = usDrugLine(f, r);
  const patient = patientName(f, r, 'us');
  const p = f.prescriber;
  const presc = r.chance(0.5) ? prescriberUS(f, r) : { text: field(['Doctor', 'Physician', 'Prescriber', 'Prescribed by'], `${p.given} ${p.surname}`), truth: `${p.given} ${p.surname}` };
  const filled = printDate(f.filled, r.pick(['us', 'us-short', 'mon-d-y']));
  const showDiscard = r.chance(0.6);
  const qty = r.pick([String(f.quantity), qtyText(f, caps), qtyText(f, caps)]);
  const small = [
    field(['Rx #', 'Rx No.', 'Rx', 'Prescription #'], f.rx),
    field(['Qty', 'Quantity', 'Dispensed', 'Disp', 'Qty dispensed'], qty),
    f.refills === 0 && r.chance(0.4) ? cap('No refills') : field(['Refills', 'Refills left', 'Refills remaining', 'RF', 'Refills authorized'], String(f.refills)),
    presc.text,
    field(['Date', 'Filled', 'Fill date', 'Date filled'], filled),
    ...(showDiscard ? [field(['Discard after', 'Use before', 'Do not use after'], printDate(f.discard, 'us'))] : []),
    ...(f.daysSupply && r.chance(0.5) ? [field(['Days supply', 'Day supply'], String(f.daysSupply))] : []),
  ];
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  shuffle(small);
  const AT = [[0], [0, 0.5], [0, 0.36, 0.68]];
  const smallSize = F.base - r.int(0, 3);
  // Cells of a row never run into each other: a row that would not fit takes fewer cells.
  const fits = (cells: string[]) => cells.every((text, k) => AT[cells.length - 1]![k]! * F.width + F.width_(text, smallSize, false) + 30 <= (AT[cells.length - 1]![k + 1] ?? 1.1) * F.width);
  const rows: string[][] = [];
  for (let i = 0; i < small.length; ) {
    let k = Math.min(small.length - i, r.int(1, 3));
    while (k > 1 && !fits(small.slice(i, i + k))) k--;
    rows.push(small.slice(i, i + k));
    i += k;
  }
  const smallRow = (cells: string[]) => F.row(cells.map((text, k) => ({ text, at: AT[cells.length - 1]![k], size: smallSize })));
  let sigLines: string[] = [];
  const big: Array<() => void> = shuffle([
    () => F.row([{ text: r.chance(0.5) ? up(patient) : `${cap('Patient')}${sep}${patient}`, bold: r.chance(0.5) }], 1.4),
    () => F.row([{ text: caps ? up(dl.line) : dl.line, bold: true, size: F.base + r.int(0, 3) }], 1.5),
    () => {
      sigLines = F.wrapped(caps ? up(f.directions.sig) : f.directions.sig, { size: F.base + r.int(0, 3), bold: r.chance(0.5), maxShare: r.range(0.7, 0.9) });
    },
  ]);
  // The small rows go before, between or after the three blocks.
  const slots: string[][][] = [[], [], [], []];
  for (const row of rows) slots[r.int(0, 3)]!.push(row);
  for (let k = 0; k < 4; k++) {
    for (const row of slots[k]!) smallRow(row);
    big[k]?.();
  }
  F.space(10);
  return {
    doc: finish(c, fr, r.chance(0.5) ? [sticker(c, fr.width - 240, 100, 210)] : []),
    printed: { name: dl.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: showDiscard ? isoDate(f.discard) : null, phone: f.pharmacy.phone },
  };
};

/** Canadian generics are sold under a maker's prefix: APO-ATORVASTATIN, TEVA-LOSARTAN. */
export const CA_PREFIX_TRAIN = ['APO', 'TEVA', 'PMS', 'SANDOZ', 'JAMP'];
export const CA_PREFIX_VALIDATION = ['MINT', 'AURO', 'RIVA', 'MAR', 'AG'];

function caProduct(c: LayoutContext, prefixes: string[]): { product: string; truthName: string; aliases: string[]; generic: string } {
  const { f, r } = c;
  const generic = f.drug.name;
  const v = r.int(0, 2);
  if (v === 0) return { product: f.drug.brand, truthName: f.drug.brand, aliases: [generic], generic };
  if (v === 1) {
    const pre = r.pick(prefixes);
    const prod = `${pre}${pre === 'SANDOZ' ? ' ' : '-'}${up(f.drug.base)}`;
    return { product: prod, truthName: prod, aliases: [generic], generic };
  }
  return { product: up(generic), truthName: generic, aliases: [], generic };
}

function prescriberCA(f: Facts, r: Random): { text: string; truth: string } {
  const p = f.prescriber;
  const v = r.int(0, 3);
  if (v === 0) return { text: `Dr. ${p.surname}, ${p.given}`, truth: `${p.given} ${p.surname}` };
  if (v === 1) return { text: `${r.pick(['Dr.', 'Dr', 'DR.'])} ${p.given} ${p.surname}`, truth: `${p.given} ${p.surname}` };
  if (v === 2) return { text: `Dr. ${p.given[0]}. ${p.surname}`, truth: `${p.given[0]} ${p.surname}` };
  return { text: `Prescriber: ${up(p.surname)}, ${up(p.given)}`, truth: `${p.given} ${p.surname}` };
}

export function caRetail(prefixes: string[]): Layout {
  return (c) => {
    const { f, r } = c;
    const fr = frame(c, r.int(1250, 1400), r.int(21, 24), 10);
    const F = fr.flow;
    F.row([{ text: f.pharmacy.name, bold: true, size: 26, at: 0.07 }, { text: f.pharmacy.phone, at: 0.68, size: 20 }]);
    F.row([{ text: f.pharmacy.address, size: 15, at: 0.07 }], 1.1);
    F.rule(f.pharmacy.colour, 4);
    const presc = prescriberCA(f, r);
    const filled = printDate(f.filled, r.pick(['ca-mon', 'ca-mon', 'iso', 'ca-slash', 'mon-d-y']));
    F.row([{ text: `Rx: ${f.rx}`, bold: true }, { text: presc.text, at: 0.3 }, { text: filled, at: 0.75 }]);
    F.row([{ text: up(`${f.patient.given} ${f.patient.surname}`), bold: true, size: F.base + 2 }]);
    const sigLines = F.wrapped(up(f.directions.sig), { size: F.base + 2, bold: true, maxShare: 0.72 });
    const prod = caProduct(c, prefixes);
    const unit = FORM[f.drug.kind]![2];
    F.row([{ text: `${f.quantity} ${unit} ${prod.product} ${compactDose(f.strength)}`, bold: true }, { text: `Mfr: ${f.mfr.slice(0, 3)}`, at: 0.75, size: F.base - 3 }], 1.5);
    const genericLine = prod.aliases.length > 0;
    F.row([{ text: genericLine ? f.drug.base.toLowerCase() : '', size: F.base - 3 }, { text: `DIN: ${f.din}`, at: 0.75, size: F.base - 3 }]);
    F.row([{ text: f.refills === 0 ? 'No Refills' : `Refills: ${f.refills}`, boxed: '#d9d9d9', bold: true }, { text: `Pharmacist: ${f.prescriber.surname[0]}${f.patient.given[0]}`, at: 0.45, size: 16 }], 1.6);
    F.space(10);
    const items: Item[] = [{ t: 'logo', cx: 48, cy: 40, r: 24, fill: f.pharmacy.colour, letters: f.pharmacy.name[0]! }];
    if (r.chance(0.5)) items.push(sticker(c, fr.width - 260, F.y - 160, 220));
    return {
      doc: finish(c, fr, items),
      printed: { name: prod.truthName, nameBase: f.drug.base, aliases: prod.aliases, dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: null, phone: f.pharmacy.phone },
    };
  };
}

/** A second Canadian arrangement: patient first, "Qty:" at the right of the drug line, refills and date below. */
export function caCompact(prefixes: string[]): Layout {
  return (c) => {
    const { f, r } = c;
    const fr = frame(c, r.int(1150, 1300), r.int(22, 25), 10);
    const F = fr.flow;
    F.row([{ text: up(f.pharmacy.name), bold: true, size: 25 }]);
    F.row([{ text: `${f.pharmacy.address}   Tel: ${f.pharmacy.phone}`, size: 15 }], 1.15);
    F.rule();
    const p = f.patient;
    F.row([{ text: `${up(p.surname)}, ${up(p.given)}`, bold: true }, { text: `Rx# ${f.rx}`, at: 0.62 }]);
    const sigLines = F.wrapped(f.directions.sig, { maxShare: 0.8 });
    const prod = caProduct(c, prefixes);
    F.row([{ text: `${prod.product} ${compactDose(f.strength)}`, bold: true, size: F.base + 2 }, { text: `Qty: ${f.quantity}`, at: 0.68, bold: true }], 1.5);
    if (prod.aliases.length) F.row([{ text: `(${prod.generic})`, size: F.base - 4 }]);
    const presc = prescriberCA(f, r);
    F.row([{ text: presc.text }, { text: printDate(f.filled, r.pick(['ca-mon', 'iso'])), at: 0.68 }]);
    F.row([{ text: f.refills === 0 ? 'Refills: 0' : `Refills remaining: ${f.refills}`, boxed: '#e0e0e0' }, { text: `DIN ${f.din}`, at: 0.68, size: 17 }], 1.6);
    F.space(10);
    return {
      doc: finish(c, fr, r.chance(0.5) ? [sticker(c, fr.width - 250, 110, 215)] : []),
      printed: { name: prod.truthName, nameBase: f.drug.base, aliases: prod.aliases, dosage: f.strength, sig: sigLines.join(' '), prescriber: presc.truth, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: null, phone: f.pharmacy.phone },
    };
  };
}

/** UK dispensing label: quantity before the drug, CAPITALISED counts, patient and date at the foot. */
export const ukLabel: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1100, 1250), r.int(23, 26), 10);
  const F = fr.flow;
  const form = { tab: 'tablets', cap: 'capsules', liquid: 'oral suspension', inhaler: 'inhaler', insulin: 'solution for injection', eye: 'eye drops', cream: 'cream', nasal: 'nasal spray' }[f.drug.kind];
  const strength = compactDose(f.strength).replace(/mL/g, 'ml');
  const before = r.chance(0.6) && (f.quantityUnit === 'tablet' || f.quantityUnit === 'capsule');
  const name = f.drug.name;
  if (before) F.row([{ text: `${f.quantity} ${name} ${strength} ${form}`, bold: true, size: F.base + 2 }], 1.5);
  else {
    F.row([{ text: `${name} ${strength} ${form}`, bold: true, size: F.base + 2 }], 1.5);
    F.row([{ text: `${f.quantity}${f.quantityUnit === 'mL' ? 'ml' : f.quantityUnit === 'g' ? 'g' : ` ${f.quantityUnit}${f.quantity === 1 ? '' : 's'}`}` }]);
  }
  const sigLines = F.wrapped(f.directions.sig, { maxShare: 0.9 });
  if (r.chance(0.6)) F.wrapped(r.pick(['Warning: Read the additional information given with this medicine', 'Do not take indigestion remedies at the same time of day as this medicine', 'Warning: May cause drowsiness. If affected do not drive or operate machinery']), { size: F.base - 5, maxShare: 0.9 });
  F.space(6);
  const date = printDate(f.filled, 'dmy');
  F.row([{ text: patientName(f, r, 'uk'), bold: true }, { text: date, at: 0.72 }], 1.6);
  F.row([{ text: 'Keep out of the reach and sight of children', size: 16, bold: true }]);
  F.row([{ text: `${f.pharmacy.name}, ${f.pharmacy.address}`, size: 16 }]);
  F.row([{ text: `Tel: ${f.pharmacy.phone}`, size: 16 }]);
  F.space(10);
  return {
    doc: finish(c, fr, [{ t: 'rect', x: 0, y: 0, w: fr.width, h: 12, fill: f.pharmacy.colour }]),
    printed: { name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: null, rx: null, refills: null, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: null, phone: f.pharmacy.phone },
  };
};

/** Australian label: drug in capitals first, Qty and Repeats, prescriber as "Dr G Surname". */
export const auLabel: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1150, 1300), r.int(22, 25), 10);
  const F = fr.flow;
  const form = FORM[f.drug.kind]![0];
  F.row([{ text: up(`${f.drug.name} ${compactDose(f.strength)} ${form}S`.replace(/SS$/, 'S')), bold: true, size: F.base + 2 }], 1.5);
  const sigLines = F.wrapped(f.directions.sig, { maxShare: 0.85 });
  const p = f.prescriber;
  const ini = r.chance(0.5);
  F.row([{ text: patientName(f, r, 'uk') }, { text: `Dr ${ini ? p.given[0] : p.given} ${p.surname}`, at: 0.5 }], 1.5);
  F.row([{ text: `Qty: ${f.quantity}` }, { text: `Repeats: ${f.refills}`, at: 0.25 }, { text: `Rx ${f.rx}`, at: 0.5 }, { text: printDate(f.filled, r.pick(['dmy', 'dmy-short'])), at: 0.75 }]);
  F.row([{ text: `${f.pharmacy.name}  ${f.pharmacy.address}`, size: 16 }]);
  F.row([{ text: `Ph ${f.pharmacy.phone}`, size: 16 }, { text: 'KEEP OUT OF REACH OF CHILDREN', at: 0.45, size: 16, bold: true }]);
  F.space(10);
  return {
    doc: finish(c, fr, []),
    printed: { name: f.drug.name, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: sigLines.join(' '), prescriber: `${ini ? p.given[0] : p.given} ${p.surname}`, rx: f.rx, refills: f.refills, patient: patientTruth(f), dateFilled: isoDate(f.filled), discardAfter: null, phone: f.pharmacy.phone },
  };
};

/** Not a pharmacy label: a maker's carton. Name and strength only. */
export const carton: Layout = (c) => {
  const { f, r } = c;
  const fr = frame(c, r.int(1000, 1200), 26, 20);
  const F = fr.flow;
  F.row([{ text: f.drug.brand, bold: true, size: 56, fill: f.pharmacy.colour }], 1.3);
  F.row([{ text: `(${f.drug.name.toLowerCase()}) ${FORM[f.drug.kind]![0].toLowerCase()}s`, size: 26 }]);
  F.row([{ text: f.strength, bold: true, size: 44 }], 1.5);
  F.row([{ text: `${f.quantity} ${UNIT_WORD[f.quantityUnit]?.[1] ?? ''}`, size: 24 }, { text: 'Rx only', at: 0.7, size: 24, bold: true }], 1.6);
  F.row([{ text: `NDC ${f.din.slice(0, 5)}-${f.din.slice(5)}-30   Lot ${f.rx.slice(0, 5)}`, size: 16 }]);
  F.space(30);
  const band: Item = { t: 'rect', x: 0, y: fr.flow.y - 10, w: fr.width, h: 40, fill: f.pharmacy.colour };
  return {
    doc: finish(c, fr, [band], '#ffffff'),
    printed: { name: f.drug.name, nameBase: f.drug.base, aliases: [f.drug.brand], dosage: f.strength, sig: '', prescriber: null, rx: null, refills: null, patient: null, dateFilled: null, discardAfter: null, phone: null },
  };
};

/** Not a pharmacy label: the foil of a blister pack, name and strength repeated small. */
export const blister: Layout = (c) => {
  const { f } = c;
  const fr = frame(c, 1100, 22, 10);
  const F = fr.flow;
  const text = `${f.drug.base} ${compactDose(f.strength)}`;
  for (let i = 0; i < 6; i++) F.row([{ text, at: (i % 2) * 0.1 }, { text, at: 0.5 + (i % 2) * 0.1 }], 1.9);
  F.row([{ text: `Lot ${f.rx.slice(0, 5)}  Exp ${printDate(f.discard, 'iso').slice(0, 7)}`, size: 16 }]);
  const pockets: Item[] = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 2; j++) pockets.push({ t: 'rect', x: 60 + i * 200, y: 30 + j * 150, w: 150, h: 110, fill: '#d0d3d6', rx: 40 });
  return {
    doc: finish(c, fr, pockets, '#c0c4c8'),
    printed: { name: f.drug.base, nameBase: f.drug.base, aliases: [], dosage: f.strength, sig: '', prescriber: null, rx: null, refills: null, patient: null, dateFilled: null, discardAfter: null, phone: null },
  };
};

export type { Cell };
