import { makeDirections, type Directions } from './directions.js';
import type { Drug, Pharmacy, Pools } from './pools.js';
import type { Random } from './random.js';

/** Everything one label says, before it is laid out. */
export interface Facts {
  drug: Drug;
  strength: string;
  directions: Directions;
  quantity: number;
  /** Canonical unit of the dispensed quantity: tablet, capsule, mL, g, inhaler, pen. */
  quantityUnit: string;
  daysSupply: number | null;
  refills: number;
  rx: string;
  patient: { given: string; surname: string };
  prescriber: { given: string; surname: string };
  pharmacy: Pharmacy;
  filled: Date;
  discard: Date;
  din: string;
  mfr: string;
}

const MFRS = ['TEVA', 'APOTEX', 'SANDOZ', 'MYLAN', 'AUROBINDO', 'CIPLA', 'LUPIN', 'ACCORD', 'ZYDUS', 'AMNEAL', 'PFIZER', 'NOVARTIS'];

function dispensed(f: Pick<Facts, 'drug' | 'directions'>, r: Random): { quantity: number; unit: string; days: number | null } {
  const { drug, directions: d } = f;
  switch (drug.kind) {
    case 'tab': case 'cap': {
      const days = d.schedule === 'Once weekly' ? r.pick([28, 84]) : r.pick([30, 30, 90, 7, 10, 14, 28, 60]);
      const n = Math.ceil(d.perDose * d.perDay * days);
      return { quantity: n, unit: drug.kind === 'tab' ? 'tablet' : 'capsule', days };
    }
    case 'liquid': return { quantity: r.pick([100, 150, 200, 75]), unit: 'mL', days: r.pick([10, 7, 14]) };
    case 'inhaler': return r.chance(0.5) ? { quantity: 1, unit: 'inhaler', days: 30 } : { quantity: r.pick([8.5, 18, 6.7, 10.2]), unit: 'g', days: 30 };
    case 'insulin': return r.chance(0.5) ? { quantity: r.pick([10, 20]), unit: 'mL', days: 30 } : { quantity: r.pick([15, 7.5]), unit: 'mL', days: 30 };
    case 'eye': return { quantity: r.pick([2.5, 5, 10]), unit: 'mL', days: 30 };
    case 'cream': return { quantity: r.pick([15, 30, 45, 60, 80]), unit: 'g', days: 30 };
    case 'nasal': return { quantity: r.pick([16, 17]), unit: 'g', days: 30 };
  }
}

export function makeFacts(pools: Pools, r: Random, country: Pharmacy['country']): Facts {
  const drug = r.pick(pools.drugs);
  const directions = makeDirections(drug.kind, r, country === 'UK' || country === 'AU' ? 'uk' : 'us');
  const q = dispensed({ drug, directions }, r);
  const filled = new Date(Date.UTC(r.int(2023, 2027), r.int(0, 11), r.int(1, 28)));
  const discard = new Date(filled);
  discard.setUTCFullYear(filled.getUTCFullYear() + 1);
  const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? r.int(1, 9) : r.int(0, 9))).join('');
  const rx = country === 'US' ? (r.chance(0.6) ? digits(7) : `${digits(7)}-${digits(r.pick([4, 5]))}`) : country === 'CA' ? digits(r.pick([6, 7, 8])) : digits(r.pick([6, 7]));
  return {
    drug,
    strength: r.pick(drug.strengths),
    directions,
    quantity: q.quantity,
    quantityUnit: q.unit,
    daysSupply: q.days,
    refills: r.pick([0, 0, 1, 2, 3, 5, 11, 4]),
    rx,
    patient: { given: r.pick(pools.given), surname: r.pick(pools.surnames) },
    prescriber: { given: r.pick(pools.prescriberGiven), surname: r.pick(pools.prescriberSurnames) },
    pharmacy: r.pick(pools.pharmacies.filter((p) => p.country === country)),
    filled,
    discard,
    din: `0${digits(7)}`,
    mfr: r.pick(MFRS),
  };
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A date as each country's labels print it. */
export function printDate(d: Date, style: 'us' | 'us-short' | 'ca-mon' | 'iso' | 'ca-slash' | 'dmy' | 'dmy-short' | 'mon-d-y'): string {
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  switch (style) {
    case 'us': return `${pad(m)}/${pad(day)}/${y}`;
    case 'us-short': return `${pad(m)}/${pad(day)}/${String(y).slice(2)}`;
    case 'ca-mon': return `${pad(day)}-${MON[m - 1]}-${y}`;
    case 'iso': return `${y}-${pad(m)}-${pad(day)}`;
    case 'ca-slash': return `${y}/${pad(m)}/${pad(day)}`;
    case 'dmy': return `${pad(day)}/${pad(m)}/${y}`;
    case 'dmy-short': return `${pad(day)}/${pad(m)}/${String(y).slice(2)}`;
    case 'mon-d-y': return `${MON[m - 1]} ${day}, ${y}`;
  }
}

export const isoDate = (d: Date): string => printDate(d, 'iso');
