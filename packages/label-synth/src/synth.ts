import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { capture, CORE_CONDITIONS, STRETCH_CONDITIONS, type Condition } from './capture.js';
import { toSvg } from './doc.js';
import { makeFacts } from './facts.js';
import { FONTS } from './fonts.js';
import * as L from './layouts.js';
import { poolsFor, probeDrugs, type Pharmacy, type Split } from './pools.js';
import { createRandom } from './random.js';

export interface SynthOptions {
  out: string;
  seed: number;
  count: number;
  /** The number of the first label (default 0): label i of a seed is the same whatever the count, so one can be made alone. */
  first?: number;
  /** Which half of every pool to draw from (default training). */
  split?: Split;
  /** Use the stretch conditions (steep, turned, curved, half resolution, motion blur) instead of the four core ones. */
  stretch?: boolean;
  /** File name prefix (default: the split's name). */
  prefix?: string;
  /**
   * Several photos of each label, one per condition listed, each with its own capture (angle,
   * curve, glare, noise): the same bottle photographed again. Files are `<prefix>-NNN-vK-<condition>.jpg`,
   * each with its truth file, which names the label they share in `scan`.
   */
  views?: Condition[];
  /**
   * Only layouts neither split has (drugs, names and fonts still of `split`): how the parser does on
   * an arrangement it was never developed against, without reading validation.
   */
  probe?: boolean;
  /**
   * Only typefaces neither split has (`FontFace.probe`), in whatever layouts are drawn: how the
   * reader does on print it was never developed against, without reading validation.
   */
  probeFonts?: boolean;
  /** Only drugs neither split has (`probeDrugs()`, from the reader's FDA lexicon), in place of the split's. */
  probeDrugs?: boolean;
  /**
   * Only warning-sticker wordings and Canadian makers' prefixes neither split has (`PROBE_WARNINGS`,
   * `PROBE_CA_PREFIXES`): words printed beside the fields that the parser was never developed against.
   */
  probeWords?: boolean;
  /** Only the shuffled probe layout (`usShuffled`): a new arrangement of the fields on every label, from the split's pools. */
  probeShuffled?: boolean;
}

/** The corpus truth format (see docs/extraction.md): what score.py and our scorer read. */
export interface LabelTruthFile {
  file: string;
  level: Condition;
  template: string;
  font: string;
  country: Pharmacy['country'];
  truth: Record<string, unknown>;
  /** With `views`: the label this photo is one view of (`<prefix>-NNN`). */
  scan?: string;
}

const WARNINGS_TRAINING = ['MAY CAUSE DROWSINESS', 'DO NOT DRINK ALCOHOLIC BEVERAGES', 'TAKE WITH FOOD OR MILK', 'AVOID PROLONGED SUNLIGHT', 'FINISH ALL THIS MEDICATION', 'SHAKE WELL BEFORE USING', 'KEEP REFRIGERATED', 'FOR EXTERNAL USE ONLY'];
/**
 * Auxiliary-label wordings in neither split, as pharmacies print them: several carry a number, a
 * time or a dose that is not the prescription's, which is what can mislead a parser.
 */
export const PROBE_WARNINGS = [
  'TAKE 1 HOUR BEFORE MEALS',
  'DO NOT TAKE WITHIN 2 HOURS OF ANTACIDS',
  'DISCARD 28 DAYS AFTER OPENING',
  'DO NOT EXCEED 4 DOSES IN 24 HOURS',
  'MAY CAUSE DIZZINESS',
  'AVOID GRAPEFRUIT JUICE',
  'DO NOT CRUSH OR CHEW',
  'TAKE ON AN EMPTY STOMACH',
  'STORE AT ROOM TEMPERATURE',
  'DRINK PLENTY OF WATER',
  'NOT FOR USE IN CHILDREN UNDER 12',
  'REFRIGERATE - DO NOT FREEZE',
  'Keep out of reach of children',
  'MAY CAUSE DROWSINESS. ALCOHOL MAY INTENSIFY THIS EFFECT.',
  'DO NOT TAKE MORE THAN 3 G OF ACETAMINOPHEN A DAY',
  'USE 2 HOURS BEFORE OR 6 HOURS AFTER IRON',
];
/** Makers' prefixes of Canadian generics in neither split. */
export const PROBE_CA_PREFIXES = ['RAN', 'NOVO', 'MYLAN', 'TARO', 'RATIO', 'PHL', 'DOM', 'BIO'];
const WARNINGS_VALIDATION = ['MAY IMPAIR ABILITY TO DRIVE', 'IMPORTANT: SWALLOW WHOLE', 'DO NOT STOP TAKING SUDDENLY', 'PROTECT FROM LIGHT', 'MEDICATION MAY DISCOLOUR URINE', 'CALL YOUR DOCTOR IF RASH APPEARS'];

interface TemplateChoice {
  id: string;
  country: Pharmacy['country'];
  weight: number;
  layout: L.Layout;
  label: boolean;
}

function templates(split: Split, probe = false, probeWords = false, probeShuffled = false): TemplateChoice[] {
  if (probeShuffled) return [{ id: 'us-shuffled', country: 'US', weight: 1, layout: L.usShuffled, label: true }];
  if (probe) {
    return [
      { id: 'us-grid', country: 'US', weight: 1, layout: L.usGrid, label: true },
      { id: 'us-stacked', country: 'US', weight: 1, layout: L.usStacked, label: true },
    ];
  }
  const prefixes = probeWords ? PROBE_CA_PREFIXES : split === 'validation' ? L.CA_PREFIX_VALIDATION : L.CA_PREFIX_TRAIN;
  const t: TemplateChoice[] = [
    { id: 'us-chain', country: 'US', weight: 12, layout: L.usChain, label: true },
    { id: 'us-independent', country: 'US', weight: 12, layout: L.usIndependent, label: true },
    { id: 'us-mail', country: 'US', weight: 9, layout: L.usMail, label: true },
    { id: 'us-form', country: 'US', weight: 8, layout: L.usForm, label: true },
    { id: 'us-textbook', country: 'US', weight: 8, layout: L.usTextbook, label: true },
    { id: 'ca-retail', country: 'CA', weight: 14, layout: L.caRetail(prefixes), label: true },
    { id: 'ca-compact', country: 'CA', weight: 10, layout: L.caCompact(prefixes), label: true },
    { id: 'uk', country: 'UK', weight: 8, layout: L.ukLabel, label: true },
    { id: 'au', country: 'AU', weight: 8, layout: L.auLabel, label: true },
    { id: 'carton', country: 'US', weight: 3, layout: L.carton, label: false },
    { id: 'blister', country: 'US', weight: 2, layout: L.blister, label: false },
  ];
  // A layout the parser is never developed against.
  if (split === 'validation') t.push({ id: 'us-kiosk', country: 'US', weight: 8, layout: L.usKiosk, label: true });
  return t;
}

function weighted<T extends { weight: number }>(xs: T[], u: number): T {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  let acc = 0;
  for (const x of xs) {
    acc += x.weight / total;
    if (u < acc) return x;
  }
  return xs[xs.length - 1]!;
}

const CORE_WEIGHTS: Record<string, number> = { clean: 0.25, mild: 0.25, camera: 0.33, hard: 0.17 };

/** Renders `count` labels with their truth files into `out`; the same seed gives the same files. */
export async function synthesise(opts: SynthOptions): Promise<LabelTruthFile[]> {
  const split = opts.split ?? 'training';
  const pools = opts.probeDrugs ? { ...poolsFor(split), drugs: probeDrugs() } : poolsFor(split);
  const choices = templates(split, opts.probe, opts.probeWords, opts.probeShuffled);
  const warnings = opts.probeWords ? PROBE_WARNINGS : split === 'validation' ? WARNINGS_VALIDATION : WARNINGS_TRAINING;
  const fonts = opts.probeFonts ? FONTS.filter((f) => f.probe) : FONTS.filter((f) => !f.probe && (split === 'validation' || !f.heldOut));
  const prefix = opts.prefix ?? split;
  mkdirSync(opts.out, { recursive: true });
  const written: LabelTruthFile[] = [];
  const first = opts.first ?? 0;
  for (let i = first; i < first + opts.count; i++) {
    const r = createRandom(opts.seed).fork(i);
    const tpl = weighted(choices, r.next());
    const face = r.pick(fonts);
    const condition: Condition = opts.stretch
      ? STRETCH_CONDITIONS[i % STRETCH_CONDITIONS.length]!
      : weighted(CORE_CONDITIONS.map((c) => ({ c, weight: CORE_WEIGHTS[c]! })), r.next()).c;
    const facts = makeFacts(pools, r, tpl.country);
    const { doc, printed } = tpl.layout({ f: facts, r, face, warnings });
    const png = await sharp(Buffer.from(toSvg(doc))).png().toBuffer();
    const scan = `${prefix}-${String(i).padStart(3, '0')}`;
    // One capture per view, each from a random stream of its own (fork 1000 + k), so the label's facts stay the same.
    const shots = opts.views
      ? await Promise.all(opts.views.map(async (c, k) => ({ file: `${scan}-v${k + 1}-${c}.jpg`, level: c, jpg: await capture(png, c, r.fork(1000 + k)) })))
      : [{ file: `${scan}-${condition}.jpg`, level: condition, jpg: await capture(png, condition, r) }];
    for (const s of shots) writeFileSync(join(opts.out, s.file), s.jpg);
    const truth: Record<string, unknown> = {
      name: printed.name,
      name_base: printed.nameBase,
      name_aliases: printed.aliases,
      dosage: printed.dosage,
      form: facts.drug.kind,
      sig: printed.sig,
      schedule: tpl.label ? facts.directions.schedule : null,
      as_needed: tpl.label ? facts.directions.as_needed : null,
      quantity: tpl.label ? facts.quantity : null,
      quantity_unit: facts.quantityUnit,
      days_supply: facts.daysSupply,
      refills: printed.refills,
      prescriber: printed.prescriber,
      rx_number: printed.rx,
      patient: printed.patient,
      date_filled: printed.dateFilled,
      discard_after: printed.discardAfter,
      pharmacy: tpl.label ? facts.pharmacy.name : null,
      pharmacy_phone: printed.phone,
      not_a_label: !tpl.label,
    };
    for (const s of shots) {
      const meta: LabelTruthFile = { file: s.file, level: s.level, template: tpl.id, font: face.id, country: tpl.country, truth, ...(opts.views && { scan }) };
      writeFileSync(join(opts.out, s.file.replace(/\.jpg$/, '.json')), JSON.stringify(meta, null, 1) + '\n');
      written.push(meta);
    }
  }
  return written;
}
