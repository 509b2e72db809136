// Dev tool: renders a small held-out set of synthetic labels in layouts, fonts and drugs the dev
// corpus does not have (serif fonts, "Sig:"/"Disp:" labels, new drugs, one drug missing from the
// lexicon), with tilt, blur, uneven light and JPEG loss. Writes NAME.jpg + NAME.json (score.py format).
// usage: node scripts/make-holdout.mjs OUT_DIR [SEED] [--hard]   (--hard: every label tilted, blurred, small, with glare)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const out = process.argv[2] ?? '/tmp/holdout';
const hard = process.argv.includes('--hard');
mkdirSync(out, { recursive: true });
let seed = Number(process.argv[3]) || 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const DRUGS = [
  ['Tramadol HCl', 'Tramadol', '50 mg', 'TABLET', 'TAKE 1 TABLET BY MOUTH EVERY 6 HOURS AS NEEDED FOR PAIN', 'Every 6 hours', true, 40],
  ['Levothyroxine Sodium', 'Levothyroxine', '75 mcg', 'TABLET', 'TAKE ONE TABLET BY MOUTH EVERY MORNING ON AN EMPTY STOMACH', 'Once daily', false, 90],
  ['Atorvastatin Calcium', 'Atorvastatin', '20 mg', 'TABLET', 'TAKE 1 TABLET BY MOUTH AT BEDTIME', 'At bedtime', false, 30],
  ['Sertraline HCl', 'Sertraline', '50 mg', 'TABLET', 'TAKE 1/2 TABLET BY MOUTH DAILY', 'Once daily', false, 15],
  ['Gabapentin', 'Gabapentin', '300 mg', 'CAPSULE', 'TAKE 1 CAPSULE BY MOUTH THREE TIMES A DAY', 'Three times daily', false, 90],
  ['Montelukast Sodium', 'Montelukast', '10 mg', 'TABLET', 'TAKE ONE TABLET BY MOUTH NIGHTLY', 'At bedtime', false, 30],
  ['Omeprazole DR', 'Omeprazole', '20 mg', 'CAPSULE', 'TAKE 1 CAPSULE BY MOUTH TWICE DAILY BEFORE MEALS', 'Twice daily', false, 60],
  ['Losartan Potassium', 'Losartan', '50 mg', 'TABLET', 'TAKE 1 TABLET BY MOUTH ONCE DAILY', 'Once daily', false, 30],
  ['Prednisone', 'Prednisone', '10 mg', 'TABLET', 'TAKE 2 TABLETS BY MOUTH EVERY DAY WITH FOOD', 'Once daily', false, 20],
  ['Cephalexin', 'Cephalexin', '500 mg', 'CAPSULE', 'TAKE 1 CAPSULE BY MOUTH FOUR TIMES DAILY', 'Four times daily', false, 28],
  ['Meloxicam', 'Meloxicam', '15 mg', 'TABLET', 'TAKE 1 TABLET BY MOUTH DAILY WITH FOOD', 'Once daily', false, 30],
  ['Tamsulosin HCl', 'Tamsulosin', '0.4 mg', 'CAPSULE', 'TAKE 1 CAPSULE BY MOUTH 30 MINUTES AFTER THE SAME MEAL EACH DAY', 'Once daily', false, 30],
  ['Doxycycline Hyclate', 'Doxycycline', '100 mg', 'CAPSULE', 'TAKE 1 CAPSULE BY MOUTH EVERY 12 HOURS WITH A FULL GLASS OF WATER', 'Every 12 hours', false, 20],
  ['Ondansetron ODT', 'Ondansetron', '4 mg', 'TABLET', 'DISSOLVE 1 TABLET ON TONGUE EVERY 8 HOURS WHEN REQUIRED FOR NAUSEA', 'Every 8 hours', true, 12],
  ['Cyclobenzaprine HCl', 'Cyclobenzaprine', '10 mg', 'TABLET', 'TAKE 1 TABLET BY MOUTH 3 TIMES DAILY AS NEEDED FOR MUSCLE SPASM', 'Three times daily', true, 30],
  ['Zuranolone', 'Zuranolone', '50 mg', 'CAPSULE', 'TAKE 2 CAPSULES BY MOUTH EVERY EVENING WITH FATTY FOOD', 'Once daily', false, 28],
  ['Amoxicillin', 'Amoxicillin', '400 mg/5 mL', 'SUSPENSION', 'TAKE 5 ML BY MOUTH TWICE A DAY UNTIL GONE', 'Twice daily', false, 100],
  ['Alendronate Sodium', 'Alendronate', '70 mg', 'TABLET', 'TAKE 1 TABLET BY MOUTH ONCE A WEEK ON AN EMPTY STOMACH', 'Once weekly', false, 4],
];
const PEOPLE = ['ALAN GRANT', 'ELLIE SATTLER', 'IAN MALCOLM', 'JOHN HAMMOND', 'DENNIS NEDRY', 'ROBERT MULDOON', 'LEX MURPHY', 'TIM MURPHY'];
const PRESCRIBERS = [['Sarah Smith', (f, l) => `Prescriber: ${f} ${l}, NP`], ['Henry Wu', (f, l) => `DR. ${f.toUpperCase()} ${l.toUpperCase()}`], ['Laura Palmer', (f, l) => `${l.toUpperCase()}, ${f.toUpperCase()} MD`], ['Dale Cooper', (f, l) => `Ordered by: Dr. ${f} ${l}`], ['Audrey Horne', (f, l) => `${f} ${l}, PA-C`]];
const FONTS = ['DejaVu Serif', 'Liberation Serif', 'DejaVu Sans', 'Liberation Sans Narrow', 'DejaVu Sans Mono'];

function layoutRetail(d, p, rx, refills, font) {
  const [name, , dose, form, sig, , , qty] = d;
  const unit = form === 'SUSPENSION' ? 'mL' : form === 'CAPSULE' ? 'Capsules' : 'Tablets';
  return [
    [30, 'bold', 'MAPLE STREET PHARMACY', 'Ph: (555) 201-3344'],
    [20, '', `Rx: ${rx}`, 'Filled: 03/14/2026'],
    [24, 'bold', pick(PEOPLE)],
    [21, '', `Sig: ${sig}`],
    [25, 'bold', `${name} ${dose.replace(' ', '')} ${form === 'TABLET' ? 'Tab' : form === 'CAPSULE' ? 'Cap' : 'Susp'}`],
    [21, '', `Disp: ${qty} ${unit}`, refills === 0 ? 'No Refills' : `Refills: ${refills} before 05/01/2027`],
    [20, '', p.printed],
    [16, '', 'NDC 12345-678-90   Exp: 03/14/2027'],
  ];
}
function layoutHospital(d, p, rx, refills) {
  const [name, , dose, form, sig, , , qty] = d;
  return [
    [26, 'bold', 'GENERAL HOSPITAL OUTPATIENT PHARMACY'],
    [20, '', `Patient: ${pick(PEOPLE)}`, 'MRN 443322'],
    [24, 'bold', `Drug: ${name.toUpperCase()} ${dose.toUpperCase()} ${form}`],
    [21, '', `Instructions: ${sig.charAt(0) + sig.slice(1).toLowerCase()}`],
    [21, '', `Quantity: ${qty}${form === 'SUSPENSION' ? ' ML' : ''}`, `Refills: ${refills === 0 ? 'None' : refills}`],
    [20, '', p.printed],
    [20, '', `Rx# ${rx}`, 'Date: 04/02/2026'],
  ];
}

function svgOf(rows, font, width) {
  let y = 20;
  const parts = [];
  for (const [size, weight, left, right] of rows) {
    y += size * 1.45;
    parts.push(`<text x="28" y="${y}" font-family="${font}" font-size="${size}" font-weight="${weight || 'normal'}">${esc(left)}</text>`);
    if (right) parts.push(`<text x="${width * 0.6}" y="${y}" font-family="${font}" font-size="${size}" font-weight="${weight || 'normal'}">${esc(right)}</text>`);
  }
  const height = Math.round(y + 30);
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f2ee"/>${parts.join('')}</svg>`, height };
}

let n = 0;
for (const [i, d] of DRUGS.entries()) {
  const level = hard ? 'hard' : ['clean', 'mild', 'camera', 'camera'][i % 4];
  const font = FONTS[i % FONTS.length];
  const [pf, pl] = PRESCRIBERS[i % PRESCRIBERS.length][0].split(' ');
  const p = { name: `${pf} ${pl}`, printed: PRESCRIBERS[i % PRESCRIBERS.length][1](pf, pl) };
  const rx = String(Math.floor(1e6 + rand() * 8.9e6));
  const refills = [0, 1, 2, 3, 5][i % 5];
  const rows = i % 2 === 0 ? layoutRetail(d, p, rx, refills, font) : layoutHospital(d, p, rx, refills);
  const width = font.includes('Mono') ? 1250 : 1150;
  const { svg, height } = svgOf(rows, font, width);
  let img = sharp(Buffer.from(svg)).flatten({ background: '#f4f2ee' });
  let buf = await img.png().toBuffer();
  if (level !== 'clean') {
    const angle = (rand() - 0.5) * (level === 'mild' ? 3 : level === 'hard' ? 14 : 8);
    buf = await sharp(buf).blur(level === 'mild' ? 0.6 : level === 'hard' ? 1.3 : 1.0).rotate(angle, { background: level === 'mild' ? '#f4f2ee' : '#6b4f3a' }).png().toBuffer();
  }
  if (level === 'camera' || level === 'hard') {
    const m = await sharp(buf).metadata();
    const pad = 80;
    const light = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${m.width + 2 * pad}" height="${m.height + 2 * pad}"><defs><radialGradient id="g" cx="${0.2 + rand() * 0.6}" cy="0.3" r="0.9"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#8a8a8a"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`);
    buf = await sharp(buf).extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#6b4f3a' }).png().toBuffer();
    buf = await sharp(buf).composite([{ input: light, blend: 'multiply' }]).png().toBuffer();
    if (level === 'hard') {
      const glare = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${m.width + 2 * pad}" height="${m.height + 2 * pad}"><defs><radialGradient id="h"><stop offset="0" stop-color="#ffffff" stop-opacity="0.85"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${(0.25 + rand() * 0.5) * m.width}" cy="${m.height / 2}" rx="${m.width / 7}" ry="${m.height / 2.5}" fill="url(#h)"/></svg>`);
      buf = await sharp(buf).composite([{ input: glare, blend: 'over' }]).png().toBuffer();
    }
    buf = await sharp(buf).resize({ width: Math.round((m.width + 2 * pad) * (level === 'hard' ? 0.62 : 0.85)) }).png().toBuffer();
  }
  const file = `hold-${String(n).padStart(3, '0')}-${level}.jpg`;
  await sharp(buf).jpeg({ quality: level === 'hard' ? 40 : level === 'camera' ? 55 : 85 }).toFile(join(out, file));
  const [name, base, dose, , sig, schedule, asNeeded, qty] = d;
  writeFileSync(join(out, file.replace('.jpg', '.json')), JSON.stringify({ file, level, template: i % 2 ? 'hospital' : 'retail', font, truth: { name, name_base: base, dosage: dose, sig, schedule, as_needed: asNeeded, quantity: qty, refills, prescriber: p.name, rx_number: rx } }, null, 1));
  n++;
}
console.log(`${n} labels in ${out}`);
