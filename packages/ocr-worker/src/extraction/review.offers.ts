import { CERTAIN, type ParsedLabel } from './label.parser.js';
import { sameDrugName } from './line.verify.js';
import { perVolumeOnly } from './parse.merge.js';

// Values offered for a person to confirm once every look at a label has been taken (label.extractor.ts):
// each replaces a doubted value with the one an independent check points to, and stays doubted.

/**
 * A count still doubted once every look is taken, that is no usual fill while exactly one count a
 * look-alike digit from it is ("276" for 270, three every eight hours; "1 TABLETS" for 7, one a day):
 * that fill is offered for the person to confirm, still doubted. Only now: offered by the parse, it
 * would have met the other looks and the re-reads as a reading, and a re-read of "38" would have
 * agreed with a 30 it never saw.
 */
export function offerUsualCount(p: ParsedLabel): ParsedLabel {
  const near = p.usualNear;
  // A count read clearly that no other look read otherwise is kept as printed (label.parser.ts, `clear`).
  if (!near || near.clear || p.medication.quantity !== near.read || p.confidence.quantity >= CERTAIN) return p;
  return { ...p, medication: { ...p.medication, quantity: near.usual }, asPrinted: { ...p.asPrinted, quantity: false } };
}

/**
 * A strength still doubted once every look is taken and not one the drug is made in, where a re-read
 * of its line (cut for the name or the count beside it, at another size) read one the lexicon lists
 * for the same drug: "306MG" and "360MG" in the two page reads, "30MG" in the re-read, for
 * Mirtazapine 30 mg (fresh seed 72000). That strength is offered for the person to confirm, still doubted.
 */
export function offerListedStrength(p: ParsedLabel, rereads: readonly ParsedLabel[]): ParsedLabel {
  if (p.confidence.dosage >= CERTAIN || p.checked?.dosage) return p;
  // Where the strength the looks give is none the drug is made in, a re-read's letters read as the one
  // listed strength they can be count too: "HYDROXYZINE HCL SONG" in the re-read, "568G" and "5688" in
  // the page reads of a hard photo, for 50 mg (fresh seed 99900). So where the looks read no strength
  // at all, its digit lost and the unit left ("20 Alprazolam mg tablets" in both page reads of a camera
  // photo, "Alprazolam img" in the re-read, for 1 mg: fresh seed 111600).
  const listedIn = (r: ParsedLabel) => r.checked?.dosage || ((p.doseUnlisted || p.medication.dosage === null) && r.doseFromLetters);
  const listed = rereads.filter((r) => listedIn(r) && r.medication.dosage !== null && sameDrugName(r.medication.name, p.medication.name));
  const strengths = new Set(listed.map((r) => r.medication.dosage!.toLowerCase().replace(/\s+/g, '')));
  if (strengths.size !== 1) return p;
  // The same strength read with what it is per is no strength to put right: the lexicon lists strengths
  // without their volume, so a re-read that lost "/mL" is listed and the look that read it is not
  // ("100 UNITS/M" in a page read of a hard photo, "100 UNITS 4," in the re-read: batch 139200).
  if (perVolumeOnly(p, listed[0]!)) return p;
  return { ...p, medication: { ...p.medication, dosage: listed[0]!.medication.dosage }, asPrinted: { ...p.asPrinted, dosage: false } };
}

/**
 * A count still doubted once every look is taken where every re-read of its line that read a count
 * read the same digits with a decimal point ("QTY: 25" in both page reads of a mild photo, "QTY: 2.5"
 * in the re-read, for 2.5 mL of eye drops: fresh seed 96300). A point is the smallest mark on a
 * label: blur and a small scale lose it far more often than a re-read, cut from the page prepared
 * larger, makes one up. That count is offered for the person to confirm, still doubted.
 */
export function offerPointedCount(p: ParsedLabel, rereads: readonly ParsedLabel[]): ParsedLabel {
  const read = p.medication.quantity;
  if (read === null || p.confidence.quantity >= CERTAIN || !Number.isInteger(read)) return p;
  const counts = new Set(rereads.map((r) => r.medication.quantity).filter((q) => q !== null));
  const [pointed] = [...counts];
  if (counts.size !== 1 || pointed === undefined || Number.isInteger(pointed) || String(pointed).replace('.', '') !== String(read)) return p;
  return { ...p, medication: { ...p.medication, quantity: pointed }, asPrinted: { ...p.asPrinted, quantity: false } };
}
