// Builds data/drug-lexicon.tsv.gz from FDA Drugs@FDA Products.txt.
// usage: node scripts/build-lexicon.mjs [PRODUCTS_TXT] [OUT]
// One line per active ingredient (or combination): NAME<TAB>BRANDS (comma-joined)<TAB>STRENGTHS
// (space-joined keys such as "15mg", "325mg+5mg", "0.1%"; mass in mg so "50 mcg" matches "0.05MG/SPRAY").
// Only products a family takes home are kept (oral, topical, inhaled, nasal, ophthalmic, and
// subcutaneous pens and vials such as insulin); other injectables
// and hospital-only forms would only add look-alike names.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const src = process.argv[2] ?? join(here, '../../../../shared/data/fda_drugsatfda_products_2023-02.txt');
const out = process.argv[3] ?? join(here, '../data/drug-lexicon.tsv.gz');

const HOSPITAL_ROUTES = /INJECT|INTRAVENOUS|INTRAMUSCULAR|INTRATHECAL|EPIDURAL|IRRIGATION|PERFUSION|INTRAVESICAL|INTRA-ARTICULAR|INTRAVITREAL|INTRACAVERNOUS|INTRADERMAL|INTRALESIONAL|INTRAOCULAR|INTRAUTERINE|DIALYSIS|IMPLANT|N\/A/;
const TO_MG = { G: 1000, GM: 1000, MG: 1, MCG: 0.001, UG: 0.001 };

/** "EQ 20MG BASE;5MG" -> "20mg+5mg" (components sorted so combinations compare as sets). */
export function strengthKey(raw) {
  // "1000 UNITS/10ML (100 UNITS/ML)": labels print the concentration in brackets, so that is the key.
  const per = raw.toUpperCase().match(/\(([^()]*\/ML[^()]*)\)/);
  const s = (per ? per[1] : raw).replace(/\*\*.*?\*\*/g, '').replace(/,(?=\d{3})/g, '').toUpperCase();
  const parts = s.split(';').map((p) => {
    const m = p.match(/(\d+(?:\.\d+)?)\s*(MCG|MG|GM|G|UG|%|UNITS?|MEQ|IU)\b|(\d+(?:\.\d+)?)\s*%/);
    if (!m) return null;
    if (m[3]) return `${Number(m[3])}%`;
    const value = Number(m[1]);
    const unit = m[2];
    if (unit in TO_MG) return `${+(value * TO_MG[unit]).toPrecision(6)}mg`;
    if (unit === '%') return `${value}%`;
    return `${value}${unit.startsWith('UNIT') || unit === 'IU' ? 'u' : 'meq'}`;
  });
  if (parts.some((p) => p === null) || parts.length === 0) return null;
  return parts.sort().join('+');
}

const rows = readFileSync(src, 'latin1').split(/\r?\n/).slice(1);
const byName = new Map();
for (const row of rows) {
  const cols = row.split('\t');
  if (cols.length < 7) continue;
  const [, , form, strength, , drugName, ingredient] = cols;
  const route = (form.split(';')[1] ?? '').toUpperCase();
  // Insulins are labelled for injection but dispensed to take home.
  if ((HOSPITAL_ROUTES.test(route) && !/^INSULIN/i.test(ingredient ?? '')) || !ingredient) continue;
  const name = ingredient.split(';').map((p) => p.trim().replace(/\s+/g, ' ')).filter(Boolean).sort().join('; ').toUpperCase();
  if (!/^[A-Z]/.test(name)) continue;
  const e = byName.get(name) ?? { brands: new Set(), strengths: new Set() };
  const brand = drugName.trim().toUpperCase().replace(/\s+/g, ' ');
  // Generic products list the ingredients as their "brand"; those add nothing.
  const generic = / AND |,/.test(brand) || name.split(/; | /).includes(brand.split(' ')[0]);
  if (/^[A-Z][A-Z0-9 .\-/&']{2,}$/.test(brand) && !generic) e.brands.add(brand);
  const key = strengthKey(strength);
  if (key) e.strengths.add(key);
  byName.set(name, e);
}
const lines = [...byName.entries()]
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([n, e]) => `${n}\t${[...e.brands].sort().join(',')}\t${[...e.strengths].sort().join(' ')}`);
mkdirSync(dirname(out), { recursive: true });
const gz = gzipSync(lines.join('\n') + '\n', { level: 9 });
writeFileSync(out, gz);
console.log(`${lines.length} entries, ${gz.length} bytes gzipped -> ${out}`);
