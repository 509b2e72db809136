import type { Medication } from './event.schema.js';

/** An Rx number as the pharmacy's system knows it: letters and digits, no "Rx" before it, no leading zeros. */
const rxKey = (rx: string) => rx.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^RX/, '').replace(/^0+/, '');
/** The last ten digits of a phone number. */
const phoneKey = (phone: string) => phone.replace(/\D/g, '').slice(-10);
/** A pharmacy's name without what every pharmacy's name has. */
const pharmacyKey = (name: string) =>
  name
    .toUpperCase()
    .replace(/#\s*\d+/g, ' ')
    .replace(/\b(PHARMACY|PHARMACIES|DRUGS?|DRUG ?STORE|CHEMISTS?|APOTHECARY|INC|LLC|LTD|THE|STORE|RX)\b/g, ' ')
    .replace(/[^A-Z0-9]/g, '');

type PharmacyFields = Pick<Medication, 'pharmacy' | 'pharmacy_phone'>;

/** Whether two readings name the same pharmacy: the same phone number, or one name inside the other. */
export function samePharmacy(a: PharmacyFields, b: PharmacyFields): boolean {
  if (a.pharmacy_phone && b.pharmacy_phone && phoneKey(a.pharmacy_phone).length >= 7 && phoneKey(a.pharmacy_phone) === phoneKey(b.pharmacy_phone)) {
    return true;
  }
  if (!a.pharmacy || !b.pharmacy) return false;
  const [x, y] = [pharmacyKey(a.pharmacy), pharmacyKey(b.pharmacy)];
  if (x.length < 3 || y.length < 3) return x === y && x.length > 0;
  return x.includes(y) || y.includes(x);
}

/**
 * The medication on the list that a new reading is a refill of: a confirmed one with the same
 * Rx number from the same pharmacy (a pharmacy identifies a prescription by both). Null when
 * none is, or the reading has no Rx number. The same rule on the tablet and the server.
 */
export function refillTargetOf<M extends Medication & { id: string; status: string; updated_at: string }>(
  reading: Medication & { id?: string | null },
  meds: readonly M[],
): M | null {
  if (!reading.rx_number || rxKey(reading.rx_number) === '') return null;
  const key = rxKey(reading.rx_number);
  const matches = meds.filter(
    (m) => m.id !== reading.id && m.status === 'confirmed' && m.rx_number !== null && rxKey(m.rx_number) === key && samePharmacy(m, reading),
  );
  return matches.sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0] ?? null;
}
