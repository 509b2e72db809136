import { confirmed, DISAGREEMENT_CAP, LR } from './evidence.js';
import { countFit, gramsGlued, RECORD_KEYS, type ParsedLabel } from './label.parser.js';
import { ocrDistance } from './ocr-confusion.js';
import { findDosages } from './dosage.parser.js';
import { drugsMadeIn, lookalikeStrengths } from './strength.check.js';

export { DISAGREEMENT_CAP };

export type Field = keyof ParsedLabel['confidence'];

/**
 * Equal field values, ignoring case, spacing and punctuation in strings, but for a decimal point
 * between digits: "2.5 mg" and "25 mg" are two strengths, a tenfold apart, not one read twice.
 */
export const sameValue = (a: unknown, b: unknown): boolean => (typeof a === 'string' && typeof b === 'string' ? plain(a) === plain(b) : a === b);
const plain = (s: string): string => s.toLowerCase().replace(/(\d)\.(?=\d)/g, '$1point').replace(/\W+/g, '');

export interface MergedLabel {
  parsed: ParsedLabel;
  /** Which reading each field's value came from. */
  from: Record<Field, 'a' | 'b'>;
  /** Fields both readings found with the same value: read twice, so already cross-checked. */
  agreed: Set<Field>;
}

/**
 * How the count of `p` fits the directions `other` read, where `p` read none that say how often: a
 * look that lost the directions line, or read it past knowing ("GIVE Tin TABLETS EXERY FOUR. Bows"),
 * could not check its count ("Quantity" / "224" beside no directions, while the look that read "TAKE
 * TWO CAPSULES 4 TIMES A DAY" read "24": fresh seed 75300). No days supply is taken from either look
 * here, so only a usual number of days of the directions counts.
 */
const fitForOther = (p: ParsedLabel, other: ParsedLabel) =>
  !p.medication.schedule && !!other.medication.schedule && typeof p.medication.quantity === 'number'
    ? countFit([], { value: p.medication.quantity, unit: p.record.quantity_unit }, other.medication.sig, other.medication.schedule)
    : null;

/**
 * A count that, by the directions only `other` read, is a spray's or a tube's size with its g read
 * as a digit ("176" for 17 g beside "USE 2 SPRAYS IN EACH NOSTRIL", which only the other look of a
 * hard photo read, with "ony" / "176" for its count: fresh seed 86400). Its look could not tell.
 */
const gluedForOther = (p: ParsedLabel, other: ParsedLabel): boolean =>
  !p.medication.schedule && !!other.medication.sig && typeof p.medication.quantity === 'number' && typeof gramsGlued(p.medication.quantity, other.medication.sig) === 'number';

/**
 * How far a check that does not look at the pixels supports a value: a name that is a whole
 * ingredient the lexicon knows; a count that is a usual fill, more when it fills a common period
 * ("1080 TAB" over "1680", two every four hours: 90 days against 140, both whole weeks and tens;
 * fresh seed 85800, a mild photo, where the look that read 1080 read the directions past knowing);
 * of two names neither of which the lexicon knows, the one with no digit among its letters.
 */
const support = (p: ParsedLabel, f: Field, other: ParsedLabel): number => {
  if (f === 'name') return p.checked?.name ? 2 : DIGIT_IN_WORD.test(String(p.medication.name)) ? 0 : 1;
  if (f === 'dosage') {
    // The same strength, one look reading what it is per and the other not ("100 UNITS/M" at a
    // line's end beside "100 UNITS/ML SOLN": a hard photo, fresh seed 88200, where the M alone is
    // read as mL since round 37; or the volume lost whole): the fuller reading.
    if (perVolumeOnly(p, other)) return 1;
    const [mine, theirs] = [strengthOf(p), strengthOf(other)];
    return mine && theirs && drugsMadeIn(mine.key) >= COMMONER * Math.max(1, drugsMadeIn(theirs.key)) ? 1 : 0;
  }
  if (f !== 'quantity') return 0;
  if (gluedForOther(p, other)) return -1;
  const fit = p.usualCount ? { usual: true, common: !!p.commonCount } : fitForOther(p, other);
  return fit?.usual ? 1 + (fit.common ? 1 : 0) : 0;
};

/**
 * A digit among a word's small letters is a letter misread ("2uranolone" in one look of a camera
 * photo, "Zuranolone" in the other, a drug the lexicon lacks: fresh seed 91200). Names print digits
 * only after their letters ("B12", "D3"), so of two readings of one name the one without is taken.
 */
const DIGIT_IN_WORD = /(?:^|[^A-Za-z0-9])\d+[a-z]|[a-z]\d+[a-z]/;

/** A look's strength with its lexicon key, where the look's drug is listed in none it read ("36 mg" of a drug the lexicon lacks). */
const strengthOf = (p: ParsedLabel) => {
  const found = p.checked?.dosage || !p.medication.dosage ? undefined : findDosages(p.medication.dosage)[0];
  return found?.key ? { ...found, key: found.key } : null;
};
/** How many times as many drugs must be made in one of two twin strengths for it to be taken. */
const COMMONER = 5;
/** `p` read its strength per a volume ("100 units/mL") and `other` the same numbers without it ("100 units"). */
export const perVolumeOnly = (p: ParsedLabel, other: ParsedLabel): boolean => {
  const [mine, theirs] = [p.medication.dosage, other.medication.dosage];
  return !!mine && !!theirs && mine.includes('/') && !theirs.includes('/') && mine.toLowerCase().startsWith(theirs.toLowerCase());
};
/**
 * Two strengths one look-alike digit apart that the drug is listed in neither of ("ZURANOLONE 36mg" and
 * "30mg" in the two looks of a camera photo at 91 each, fresh seed 86100): the one many times as many
 * drugs are made in is taken (30 mg: 83 drugs; 36 mg: 5; `support`), still in dispute.
 */
const twinStrengths = (a: ParsedLabel, b: ParsedLabel): boolean => {
  const [x, y] = [strengthOf(a), strengthOf(b)];
  return !!x && !!y && lookalikeStrengths(x, new Set([y.key])).length > 0;
};

/**
 * One name is a stretch of the other read in part ("TFLOZIN" of "EMPAGLIFLOZIN", a misread letter
 * allowed): the two looks read the same print. Two unrelated names (a sticker's word the lexicon
 * happens to know, "WERA", beside a drug it lacks, "JAMP-GEPIRONE") are two readings of different
 * print, and the lexicon cannot choose between them.
 */
function partOf(a: unknown, b: unknown): boolean {
  const [x, y] = [a, b].map((v) => String(v).toUpperCase().replace(/[^A-Z]/g, '')).sort((p, q) => p.length - q.length) as [string, string];
  if (x.length < 4) return false;
  for (let i = 0; i + x.length <= y.length; i++) if (ocrDistance(x, y.slice(i, i + x.length), 1) <= 1) return true;
  return false;
}

/**
 * How sure two looks that read a field alike are of it: as sure as the surer look, except for a count
 * that the directions one look read doubt, where the other look read no directions and so could
 * not check it. That doubt comes from a check that does not look at the pixels, and holds whatever
 * another look of them reads: "Disp: 126 Tablets" in both looks of a hard photo, for 120 with its
 * slashed zero read as 6, two a day (63 days, where 120 is 60); the look that read the directions
 * doubted it, the one that read "a Uay" was sure of it at 0.88, and the two agreeing saved it
 * unreviewed (fresh seed 176700).
 */
function agreedBase(a: ParsedLabel, b: ParsedLabel, f: Field): number {
  const [ca, cb] = [a.confidence[f], b.confidence[f]];
  if (f === 'quantity' && a.countDoubted && !b.medication.schedule) return ca;
  if (f === 'quantity' && b.countDoubted && !a.medication.schedule) return cb;
  return Math.max(ca, cb);
}

const valueOf = (p: ParsedLabel, f: Field): unknown => ((RECORD_KEYS as string[]).includes(f) ? p.record[f as keyof ParsedLabel['record']] : p.medication[f as keyof ParsedLabel['medication']]);

/**
 * Combines two readings of the same label (two preprocessings) field by field: a field only one
 * reading found is taken from it; where both found it, the more confident reading wins, unless a
 * check that does not look at the pixels supports one of two related values and not the other. A
 * disagreement caps the confidence so the label goes to review; agreement is weighed by
 * LR.passesAgree (measured: not independent, so no rise).
 */
export function mergeParsed(a: ParsedLabel, b: ParsedLabel): MergedLabel {
  const medication = { ...a.medication } as Record<string, unknown>;
  const record = { ...a.record } as Record<string, unknown>;
  const confidence = { ...a.confidence };
  const evidence = { ...a.evidence } as Record<string, unknown>;
  // What was read as printed and what an independent check supports travel with the value.
  const asPrinted = { ...a.asPrinted } as Record<string, boolean | undefined>;
  const checked = { ...a.checked } as Record<string, boolean | undefined>;
  const from = {} as Record<Field, 'a' | 'b'>;
  const agreed = new Set<Field>();
  const differ: ('dosage' | 'quantity')[] = [];
  const drugKeys = Object.keys(a.medication).filter((k) => !(RECORD_KEYS as string[]).includes(k));
  for (const f of [...drugKeys, ...RECORD_KEYS] as Field[]) {
    const [va, vb, ca, cb] = [valueOf(a, f), valueOf(b, f), a.confidence[f], b.confidence[f]];
    // Two values read differently where a check that does not look at the pixels supports one of
    // them: that one is taken over the more confident (still in dispute). A count that is a usual
    // fill over one that is none ("42 TAB" over "427TAB" for half a tablet three times a day), a name
    // the lexicon knows over a fragment of it ("Empagliflozin" at 0 over "Tflozin" at 0.49), a common
    // strength over a rare one a look-alike digit from it (twinStrengths).
    const related = f === 'quantity' || (f === 'name' && partOf(va, vb)) || (f === 'dosage' && (twinStrengths(a, b) || perVolumeOnly(a, b) || perVolumeOnly(b, a)));
    const byCheck = va !== null && vb !== null && !sameValue(va, vb) && related && support(a, f, b) !== support(b, f, a);
    const takeB = vb !== null && (va === null || (byCheck ? support(b, f, a) > support(a, f, b) : cb > ca));
    from[f] = takeB ? 'b' : 'a';
    const target = (RECORD_KEYS as string[]).includes(f) ? record : medication;
    if (takeB) {
      target[f] = vb;
      confidence[f] = cb;
      evidence[f] = b.evidence?.[f as keyof NonNullable<ParsedLabel['evidence']>];
      asPrinted[f] = b.asPrinted?.[f as keyof NonNullable<ParsedLabel['asPrinted']>];
      checked[f] = b.checked?.[f as keyof NonNullable<ParsedLabel['checked']>];
    }
    if (va !== null && vb !== null) {
      if (sameValue(va, vb)) {
        agreed.add(f);
        confidence[f] = confirmed(agreedBase(a, b, f), LR.passesAgree);
      } else {
        confidence[f] = Math.min(confidence[f], DISAGREEMENT_CAP);
        // A number two looks read differently, each as sure of it as not, is in dispute: the unwrapped
        // look is the second look's pixels again, and one of the first two was already wrong ("Qty: 4"
        // at 0.88 in the first look and the unwrapped one, "Qty: 24" at 0.73 in the second, of a camera
        // photo, fresh seed 180900: 4 was saved at 0.89). A number its own look doubts more than not
        // ("1" at 0 for 180) contests nothing.
        if ((f === 'dosage' || f === 'quantity') && Math.min(ca, cb) >= 0.5) differ.push(f);
      }
    }
  }
  // Two looks that read a number differently stay in dispute whatever a further look reads: a re-read
  // that read another number (line.verify.ts), or two looks (`differ`, above).
  const disputed = [...new Set([...(a.disputed ?? []), ...(b.disputed ?? []), ...differ])];
  for (const f of disputed) confidence[f] = Math.min(confidence[f], DISAGREEMENT_CAP);
  const drop = (o: Record<string, boolean | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, boolean>;
  const parsed: ParsedLabel = { medication: medication as ParsedLabel['medication'], record: record as unknown as ParsedLabel['record'], confidence, evidence: evidence as ParsedLabel['evidence'] };
  if (a.asPrinted || b.asPrinted) parsed.asPrinted = drop(asPrinted);
  if (a.checked || b.checked) parsed.checked = drop(checked);
  if (disputed.length) parsed.disputed = disputed;
  const counted = from.quantity === 'b' ? b : a;
  if (counted.usualCount) parsed.usualCount = true;
  // The doubt travels with the count to a further look (the unwrapped one) that reads it alike.
  if (counted.countDoubted || (agreed.has('quantity') && (a.countDoubted || b.countDoubted))) parsed.countDoubted = true;
  // Two looks that read the printed days supply differently: one misread a digit, and a count checked
  // against it may share the misread ("Oty 18" and "Days supply 18" in one look of a hard photo,
  // "Days supply 10" in the other, for 10 and 10: fresh seed 101400, saved sure at 0.983 when the
  // re-read of the count's line read 18 too). Unless both looks read the count alike, the check no
  // longer holds, and the count is doubted: a count two looks agree on beside a days supply one of
  // them misread ("Days Supply: 38" and ": 30" under "Qty: 90" in both) keeps it.
  const days = new Set([a.daysSupply, b.daysSupply].filter((d) => d !== undefined));
  if (days.size > 1 && parsed.checked?.quantity && !agreed.has('quantity')) {
    parsed.checked.quantity = false;
    confidence.quantity = Math.min(confidence.quantity, DISAGREEMENT_CAP);
  }
  if (days.size === 1) parsed.daysSupply = [...days][0]!;
  // Whether the strength taken is none the drug is made in travels with it (review.offers.ts). How a
  // re-read's strength was read is asked of the re-read's own parse, never of a merge.
  if ((from.dosage === 'b' ? b : a).doseUnlisted) parsed.doseUnlisted = true;
  // Two looks that read the count differently read it unsurely, however clear each was: "Qty: 186"
  // and "Qty: 188" at 90-92 for 180, two a day (fresh seed 85200, a hard photo).
  const disagreed = a.medication.quantity !== null && b.medication.quantity !== null && !agreed.has('quantity');
  // Two looks that read the same digits, one of them with a mark after them ("qr: 5" and "gry: 5%" for
  // 56, a hard photo, fresh seed 105300): the fill that look found for a lost digit stands for both.
  const other = from.quantity === 'b' ? a : b;
  const near = counted.usualNear ?? (other.medication.quantity === counted.medication.quantity ? other.usualNear : undefined);
  if (near) parsed.usualNear = disagreed ? { read: near.read, usual: near.usual } : near;
  return { parsed, from, agreed };
}
