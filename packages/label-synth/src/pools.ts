/**
 * What labels are made of: drugs, people, prescribers, pharmacies. Every pool is split in two
 * by a fixed hash of the entry, so the validation split is made of drugs, names and pharmacies
 * the training split never shows.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type Split = 'training' | 'validation';

/** How a drug is taken: decides the directions, the dispensed unit and the form word. */
export type DrugKind = 'tab' | 'cap' | 'liquid' | 'inhaler' | 'insulin' | 'eye' | 'cream' | 'nasal';

export interface Drug {
  /** As a US label prints the generic: "Amlodipine Besylate", "Albuterol Sulfate HFA". */
  name: string;
  /** The ingredient without salt or release words: "Amlodipine". */
  base: string;
  brand: string;
  kind: DrugKind;
  strengths: string[];
  /** A release suffix printed after the name (ER, XL, DR) goes with the strengths listed. */
}

const D = (name: string, base: string, brand: string, kind: DrugKind, strengths: string): Drug => ({ name, base, brand, kind, strengths: strengths.split('|') });

export const DRUGS: Drug[] = [
  D('Amlodipine Besylate', 'Amlodipine', 'Norvasc', 'tab', '2.5 mg|5 mg|10 mg'),
  D('Atorvastatin Calcium', 'Atorvastatin', 'Lipitor', 'tab', '10 mg|20 mg|40 mg|80 mg'),
  D('Lisinopril', 'Lisinopril', 'Zestril', 'tab', '2.5 mg|5 mg|10 mg|20 mg|40 mg'),
  D('Metformin HCl', 'Metformin', 'Glucophage', 'tab', '500 mg|850 mg|1000 mg'),
  D('Levothyroxine Sodium', 'Levothyroxine', 'Synthroid', 'tab', '25 mcg|50 mcg|75 mcg|88 mcg|100 mcg|112 mcg|125 mcg'),
  D('Simvastatin', 'Simvastatin', 'Zocor', 'tab', '10 mg|20 mg|40 mg'),
  D('Omeprazole', 'Omeprazole', 'Prilosec', 'cap', '10 mg|20 mg|40 mg'),
  D('Losartan Potassium', 'Losartan', 'Cozaar', 'tab', '25 mg|50 mg|100 mg'),
  D('Gabapentin', 'Gabapentin', 'Neurontin', 'cap', '100 mg|300 mg|400 mg'),
  D('Hydrochlorothiazide', 'Hydrochlorothiazide', 'Microzide', 'tab', '12.5 mg|25 mg|50 mg'),
  D('Sertraline HCl', 'Sertraline', 'Zoloft', 'tab', '25 mg|50 mg|100 mg'),
  D('Metoprolol Succinate ER', 'Metoprolol', 'Toprol XL', 'tab', '25 mg|50 mg|100 mg|200 mg'),
  D('Metoprolol Tartrate', 'Metoprolol', 'Lopressor', 'tab', '25 mg|50 mg|100 mg'),
  D('Montelukast Sodium', 'Montelukast', 'Singulair', 'tab', '10 mg'),
  D('Escitalopram Oxalate', 'Escitalopram', 'Lexapro', 'tab', '5 mg|10 mg|20 mg'),
  D('Rosuvastatin Calcium', 'Rosuvastatin', 'Crestor', 'tab', '5 mg|10 mg|20 mg|40 mg'),
  D('Bupropion XL', 'Bupropion', 'Wellbutrin XL', 'tab', '150 mg|300 mg'),
  D('Pantoprazole Sodium', 'Pantoprazole', 'Protonix', 'tab', '20 mg|40 mg'),
  D('Furosemide', 'Furosemide', 'Lasix', 'tab', '20 mg|40 mg|80 mg'),
  D('Fluoxetine HCl', 'Fluoxetine', 'Prozac', 'cap', '10 mg|20 mg|40 mg'),
  D('Tamsulosin HCl', 'Tamsulosin', 'Flomax', 'cap', '0.4 mg'),
  D('Trazodone HCl', 'Trazodone', 'Desyrel', 'tab', '50 mg|100 mg|150 mg'),
  D('Meloxicam', 'Meloxicam', 'Mobic', 'tab', '7.5 mg|15 mg'),
  D('Clopidogrel', 'Clopidogrel', 'Plavix', 'tab', '75 mg'),
  D('Prednisone', 'Prednisone', 'Deltasone', 'tab', '5 mg|10 mg|20 mg|50 mg'),
  D('Citalopram', 'Citalopram', 'Celexa', 'tab', '10 mg|20 mg|40 mg'),
  D('Pravastatin Sodium', 'Pravastatin', 'Pravachol', 'tab', '10 mg|20 mg|40 mg|80 mg'),
  D('Carvedilol', 'Carvedilol', 'Coreg', 'tab', '3.125 mg|6.25 mg|12.5 mg|25 mg'),
  D('Tramadol HCl', 'Tramadol', 'Ultram', 'tab', '50 mg'),
  D('Cyclobenzaprine HCl', 'Cyclobenzaprine', 'Flexeril', 'tab', '5 mg|10 mg'),
  D('Amoxicillin', 'Amoxicillin', 'Amoxil', 'cap', '250 mg|500 mg'),
  D('Amoxicillin', 'Amoxicillin', 'Amoxil', 'liquid', '250 mg/5 mL|400 mg/5 mL'),
  D('Azithromycin', 'Azithromycin', 'Zithromax', 'tab', '250 mg|500 mg'),
  D('Cephalexin', 'Cephalexin', 'Keflex', 'cap', '250 mg|500 mg'),
  D('Doxycycline Hyclate', 'Doxycycline', 'Vibramycin', 'cap', '50 mg|100 mg'),
  D('Ciprofloxacin', 'Ciprofloxacin', 'Cipro', 'tab', '250 mg|500 mg|750 mg'),
  D('Alprazolam', 'Alprazolam', 'Xanax', 'tab', '0.25 mg|0.5 mg|1 mg'),
  D('Lorazepam', 'Lorazepam', 'Ativan', 'tab', '0.5 mg|1 mg|2 mg'),
  D('Clonazepam', 'Clonazepam', 'Klonopin', 'tab', '0.5 mg|1 mg|2 mg'),
  D('Zolpidem Tartrate', 'Zolpidem', 'Ambien', 'tab', '5 mg|10 mg'),
  D('Warfarin Sodium', 'Warfarin', 'Coumadin', 'tab', '1 mg|2 mg|2.5 mg|5 mg'),
  D('Apixaban', 'Apixaban', 'Eliquis', 'tab', '2.5 mg|5 mg'),
  D('Allopurinol', 'Allopurinol', 'Zyloprim', 'tab', '100 mg|300 mg'),
  D('Venlafaxine ER', 'Venlafaxine', 'Effexor XR', 'cap', '37.5 mg|75 mg|150 mg'),
  D('Duloxetine', 'Duloxetine', 'Cymbalta', 'cap', '20 mg|30 mg|60 mg'),
  D('Glipizide', 'Glipizide', 'Glucotrol', 'tab', '5 mg|10 mg'),
  D('Spironolactone', 'Spironolactone', 'Aldactone', 'tab', '25 mg|50 mg|100 mg'),
  D('Propranolol HCl', 'Propranolol', 'Inderal', 'tab', '10 mg|20 mg|40 mg'),
  D('Quetiapine Fumarate', 'Quetiapine', 'Seroquel', 'tab', '25 mg|50 mg|100 mg|200 mg'),
  D('Lamotrigine', 'Lamotrigine', 'Lamictal', 'tab', '25 mg|100 mg|150 mg|200 mg'),
  D('Topiramate', 'Topiramate', 'Topamax', 'tab', '25 mg|50 mg|100 mg'),
  D('Famotidine', 'Famotidine', 'Pepcid', 'tab', '20 mg|40 mg'),
  D('Ondansetron ODT', 'Ondansetron', 'Zofran', 'tab', '4 mg|8 mg'),
  D('Diclofenac Sodium', 'Diclofenac', 'Voltaren', 'tab', '50 mg|75 mg'),
  D('Naproxen', 'Naproxen', 'Naprosyn', 'tab', '250 mg|375 mg|500 mg'),
  D('Hydroxyzine HCl', 'Hydroxyzine', 'Atarax', 'tab', '10 mg|25 mg|50 mg'),
  D('Buspirone HCl', 'Buspirone', 'Buspar', 'tab', '5 mg|10 mg|15 mg'),
  D('Mirtazapine', 'Mirtazapine', 'Remeron', 'tab', '15 mg|30 mg|45 mg'),
  D('Paroxetine HCl', 'Paroxetine', 'Paxil', 'tab', '10 mg|20 mg|40 mg'),
  D('Valsartan', 'Valsartan', 'Diovan', 'tab', '40 mg|80 mg|160 mg|320 mg'),
  D('Diltiazem CD', 'Diltiazem', 'Cardizem CD', 'cap', '120 mg|180 mg|240 mg'),
  D('Lansoprazole', 'Lansoprazole', 'Prevacid', 'cap', '15 mg|30 mg'),
  D('Finasteride', 'Finasteride', 'Proscar', 'tab', '5 mg'),
  D('Ramipril', 'Ramipril', 'Altace', 'cap', '2.5 mg|5 mg|10 mg'),
  D('Baclofen', 'Baclofen', 'Lioresal', 'tab', '10 mg|20 mg'),
  D('Methocarbamol', 'Methocarbamol', 'Robaxin', 'tab', '500 mg|750 mg'),
  D('Nitrofurantoin', 'Nitrofurantoin', 'Macrobid', 'cap', '100 mg'),
  D('Valacyclovir', 'Valacyclovir', 'Valtrex', 'tab', '500 mg|1 g'),
  D('Fluconazole', 'Fluconazole', 'Diflucan', 'tab', '150 mg'),
  D('Oxycodone HCl', 'Oxycodone', 'Roxicodone', 'tab', '5 mg|10 mg'),
  D('Hydrocodone/APAP', 'Hydrocodone', 'Norco', 'tab', '5-325 mg|10-325 mg'),
  D('Risperidone', 'Risperidone', 'Risperdal', 'tab', '0.5 mg|1 mg|2 mg'),
  D('Aripiprazole', 'Aripiprazole', 'Abilify', 'tab', '2 mg|5 mg|10 mg'),
  D('Donepezil HCl', 'Donepezil', 'Aricept', 'tab', '5 mg|10 mg'),
  D('Ropinirole HCl', 'Ropinirole', 'Requip', 'tab', '0.25 mg|0.5 mg|1 mg'),
  D('Alendronate Sodium', 'Alendronate', 'Fosamax', 'tab', '35 mg|70 mg'),
  D('Cetirizine HCl', 'Cetirizine', 'Zyrtec', 'tab', '10 mg'),
  D('Sumatriptan', 'Sumatriptan', 'Imitrex', 'tab', '25 mg|50 mg|100 mg'),
  D('Cefdinir', 'Cefdinir', 'Omnicef', 'liquid', '125 mg/5 mL|250 mg/5 mL'),
  D('Prednisolone', 'Prednisolone', 'Orapred', 'liquid', '15 mg/5 mL'),
  D('Albuterol Sulfate HFA', 'Albuterol', 'ProAir HFA', 'inhaler', '90 mcg'),
  D('Fluticasone Propionate HFA', 'Fluticasone', 'Flovent HFA', 'inhaler', '44 mcg|110 mcg|220 mcg'),
  D('Budesonide/Formoterol', 'Budesonide', 'Symbicort', 'inhaler', '160-4.5 mcg'),
  D('Fluticasone Propionate', 'Fluticasone', 'Flonase', 'nasal', '50 mcg'),
  D('Mometasone Furoate', 'Mometasone', 'Nasonex', 'nasal', '50 mcg'),
  D('Latanoprost', 'Latanoprost', 'Xalatan', 'eye', '0.005%'),
  D('Timolol Maleate', 'Timolol', 'Timoptic', 'eye', '0.25%|0.5%'),
  D('Brimonidine Tartrate', 'Brimonidine', 'Alphagan P', 'eye', '0.1%|0.15%|0.2%'),
  D('Triamcinolone Acetonide', 'Triamcinolone', 'Kenalog', 'cream', '0.025%|0.1%|0.5%'),
  D('Hydrocortisone', 'Hydrocortisone', 'Cortaid', 'cream', '1%|2.5%'),
  D('Mupirocin', 'Mupirocin', 'Bactroban', 'cream', '2%'),
  D('Clobetasol Propionate', 'Clobetasol', 'Temovate', 'cream', '0.05%'),
  D('Insulin Glargine', 'Insulin Glargine', 'Lantus', 'insulin', '100 units/mL'),
  D('Insulin Lispro', 'Insulin Lispro', 'Humalog', 'insulin', '100 units/mL'),
  D('Insulin Aspart', 'Insulin Aspart', 'Novolog', 'insulin', '100 units/mL'),
  D('Zuranolone', 'Zuranolone', 'Zurzuvae', 'cap', '20 mg|25 mg|30 mg'),
  D('Fezolinetant', 'Fezolinetant', 'Veozah', 'tab', '45 mg'),
  D('Gepirone ER', 'Gepirone', 'Exxua', 'tab', '18.2 mg|36.3 mg'),
  D('Potassium Chloride ER', 'Potassium Chloride', 'Klor-Con', 'tab', '10 mEq|20 mEq'),
  D('Nifedipine ER', 'Nifedipine', 'Procardia XL', 'tab', '30 mg|60 mg|90 mg'),
  D('Olmesartan Medoxomil', 'Olmesartan', 'Benicar', 'tab', '20 mg|40 mg'),
  D('Levetiracetam', 'Levetiracetam', 'Keppra', 'tab', '250 mg|500 mg|750 mg'),
  D('Oxybutynin Chloride ER', 'Oxybutynin', 'Ditropan XL', 'tab', '5 mg|10 mg'),
  D('Sitagliptin', 'Sitagliptin', 'Januvia', 'tab', '25 mg|50 mg|100 mg'),
  D('Empagliflozin', 'Empagliflozin', 'Jardiance', 'tab', '10 mg|25 mg'),
  D('Rivaroxaban', 'Rivaroxaban', 'Xarelto', 'tab', '10 mg|15 mg|20 mg'),
  D('Methotrexate', 'Methotrexate', 'Trexall', 'tab', '2.5 mg'),
  D('Colchicine', 'Colchicine', 'Colcrys', 'tab', '0.6 mg'),
  D('Isosorbide Mononitrate ER', 'Isosorbide Mononitrate', 'Imdur', 'tab', '30 mg|60 mg'),
  D('Divalproex Sodium DR', 'Divalproex', 'Depakote', 'tab', '250 mg|500 mg'),
  D('Hydroxychloroquine Sulfate', 'Hydroxychloroquine', 'Plaquenil', 'tab', '200 mg'),
];

export const GIVEN = (
  'Sarah James Maria David Linda Robert Emily Michael Priya Ahmed Chloe Daniel Grace Omar Hannah Lucas Aisha Noah Olivia Ethan ' +
  'Fatima Liam Mei Samuel Sofia Nadia Kevin Julia Marcus Elena Thomas Rachel Andre Yuki Carlos Amara Peter Leah Victor Irene ' +
  'Benjamin Zoe Hugo Naomi Felix Clara Mateo Ingrid Rohan Lena Tariq Maeve Simone Desmond Beatrice Rafael Harriet Kwame Margot ' +
  'Declan Esther Joaquin Rosalind Theo Anika Malcolm Vera Colin Imogen Ravi Lucia Gordon Paloma Stuart Wendy Dmitri Agnes'
).split(' ');
export const SURNAMES = (
  'Smith Johnson Williams Brown Garcia Patel Nguyen Kowalski Anderson Tanaka Murphy OBrien Chen Martin Novak Singh Lee Walker ' +
  'Thompson Rossi Dubois Tremblay Gagnon Roy Wilson Taylor Campbell Stewart MacDonald Fraser Kim Park Cohen Haddad Okafor Silva ' +
  'Moreau Bergeron Leblanc Fischer Schmidt Ivanova Larsen Costa Romero Baker Hughes Evans Wright Clarke Hall Young King Scott ' +
  'Russo Bianchi Lindqvist Okonkwo Fitzgerald Gallagher Whitfield Ashdown Pemberton Castellano Delacroix Vasquez Oyelaran ' +
  'Kerrigan Halvorsen Sato Abernathy Montague Quinlan Rutherford Sinclair'
).split(' ').map((s) => (s === 'OBrien' ? "O'Brien" : s));

export interface Pharmacy {
  name: string;
  country: 'US' | 'CA' | 'UK' | 'AU';
  address: string;
  phone: string;
  colour: string;
}

const P = (name: string, country: Pharmacy['country'], address: string, phone: string, colour: string): Pharmacy => ({ name, country, address, phone, colour });

export const PHARMACIES: Pharmacy[] = [
  P('SUMMIT MAIL ORDER PHARMACY', 'US', 'PO Box 3310, Denver, CO 80201', '(800) 555-0107', '#1d4e89'),
  P('CORNER DRUG', 'US', '118 Main St, Springfield, IL 62701', '(217) 555-0142', '#0f7b5f'),
  P('Unity Community Pharmacy', 'US', '15 Elm St, Burlington, VT 05401', '(802) 555-0164', '#7a1f5c'),
  P('WELLSIDE PHARMACY #4471', 'US', '2200 Oak Ave, Madison, WI 53703', '(608) 555-0199', '#c8102e'),
  P('BLUE RIVER PHARMACY', 'US', '410 River Rd, Boise, ID 83702', '(208) 555-0113', '#005eb8'),
  P('Hillcrest Apothecary', 'US', '9 Hill St, Asheville, NC 28801', '(828) 555-0186', '#5b3a29'),
  P('PRAIRIE HEALTH PHARMACY', 'US', '77 Center St, Omaha, NE 68102', '(402) 555-0121', '#b35900'),
  P('HomeRx Direct Mail Pharmacy', 'US', '1 Distribution Way, Memphis, TN 38118', '1-800-555-0177', '#2b2d42'),
  P('Lakeshore Family Pharmacy', 'US', '501 Shore Dr, Erie, PA 16507', '(814) 555-0150', '#00778b'),
  P('Canyon Drugs', 'US', '33 Mesa Blvd, Tucson, AZ 85701', '(520) 555-0138', '#a4343a'),
  P('MAPLE LEAF PHARMACY', 'CA', '120 King St W, Toronto ON M5H 1J9', '(416) 555-0191', '#d52b1e'),
  P('Harbourview Pharmacy', 'CA', '88 Water St, Halifax NS B3J 1S3', '(902) 555-0147', '#003f87'),
  P('Prairie Wellness Pharmacy', 'CA', '401 Broadway Ave, Saskatoon SK S7N 1B7', '(306) 555-0129', '#2e7d32'),
  P('CENTRE SANTÉ PHARMACY', 'CA', '1500 Rue Ste-Catherine, Montréal QC H3G 1S6', '(514) 555-0175', '#0057a8'),
  P('Coastal Drug Mart', 'CA', '2250 Granville St, Vancouver BC V6H 3G1', '(604) 555-0112', '#6a1b9a'),
  P('Northern Lights Pharmacy', 'CA', '15 Franklin Ave, Yellowknife NT X1A 2N4', '(867) 555-0160', '#00838f'),
  P('Riverside Chemist', 'UK', '14 High Street, Reading RG1 2AA', '0118 496 0321', '#00a499'),
  P('Parkway Pharmacy', 'UK', '3 Station Road, Leeds LS1 4DY', '0113 496 0874', '#005eb8'),
  P('Greenfield Chemists', 'UK', '27 Market Place, Bath BA1 1AB', '01225 496 012', '#41b6e6'),
  P('Southern Cross Pharmacy', 'AU', '210 George St, Sydney NSW 2000', '(02) 5550 1234', '#e4002b'),
  P('Bayside Discount Chemist', 'AU', '45 Bay Rd, Brighton VIC 3186', '(03) 5550 9876', '#ffb81c'),
  P('Outback Pharmacy', 'AU', '8 Todd St, Alice Springs NT 0870', '(08) 5550 4455', '#b5651d'),
];

/** A fixed hash of a string: the same entry is always in the same split. */
function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** Roughly 30% of each pool is kept for validation. */
export const inSplit = (key: string, split: Split): boolean => (hash(key) % 10 < 3) === (split === 'validation');

export interface Pools {
  drugs: Drug[];
  given: string[];
  surnames: string[];
  /** Prescribers come from their own share of the names. */
  prescriberGiven: string[];
  prescriberSurnames: string[];
  pharmacies: Pharmacy[];
}

export function poolsFor(split: Split): Pools {
  const names = (xs: string[], salt: string, half: 0 | 1) => xs.filter((x) => inSplit(x + salt, split) && hash(x) % 2 === half);
  // Every country keeps at least one pharmacy on each side, and none is on both.
  const pharmacies: Pharmacy[] = [];
  for (const c of ['US', 'CA', 'UK', 'AU'] as const) {
    const all = PHARMACIES.filter((p) => p.country === c);
    let held = all.filter((p) => inSplit(p.name, 'validation'));
    if (held.length === 0) held = [all[all.length - 1]!];
    if (held.length === all.length) held = held.slice(1);
    pharmacies.push(...all.filter((p) => held.includes(p) === (split === 'validation')));
  }
  return {
    drugs: DRUGS.filter((d) => inSplit(d.base, split)),
    given: names(GIVEN, '', 0),
    surnames: names(SURNAMES, '', 0),
    prescriberGiven: names(GIVEN, '', 1),
    prescriberSurnames: names(SURNAMES, '', 1),
    pharmacies,
  };
}

/**
 * The words after an ingredient that the corpus rule lets a label leave off ("a salt or release
 * suffix may be left out"): salts, hydrates, and the esters the dev corpus leaves off too
 * (Fluticasone Propionate is "Fluticasone" there). Before round 36 the list held only the common
 * salts, so probe truth kept "Rizatriptan Benzoate", "Methenamine Hippurate", "Lapatinib
 * Ditosylate", "Testosterone Undecanoate" as the bare name, and the scorer failed the name as
 * printed without them. So with a resin the drug is held on as a salt (Nicotine Polacrilex, batch
 * 136200). The first word is always kept: "Lithium Carbonate" is said whole. Round 37 added the
 * prodrug esters beside medoxomil and cilexetil (Pradaxa was scored wrong as "Dabigatran", its truth
 * keeping "Etexilate": batch 138000) and erythromycin's esters and salts.
 */
const SALT = new RegExp(
  '^(HYDROCHLORIDE|DIHYDROCHLORIDE|HYDROBROMIDE|SULFATE|BISULFATE|SODIUM|DISODIUM|POTASSIUM|DIPOTASSIUM|CALCIUM|MAGNESIUM|' +
    'MALEATE|DIMALEATE|MESYLATE|DIMESYLATE|BESYLATE|TOSYLATE|DITOSYLATE|ESYLATE|NAPSYLATE|CAMSYLATE|EDISYLATE|ISETHIONATE|' +
    'TARTRATE|BITARTRATE|SUCCINATE|CITRATE|ACETATE|FUMARATE|HEMIFUMARATE|PHOSPHATE|BROMIDE|CHLORIDE|NITRATE|LACTATE|' +
    'GLUCONATE|HYCLATE|PAMOATE|OXALATE|MALATE|BENZOATE|HIPPURATE|MANDELATE|TROMETHAMINE|MEGLUMINE|OLAMINE|ERBUMINE|' +
    'DIHYDRATE|MONOHYDRATE|HEMIHYDRATE|TRIHYDRATE|SESQUIHYDRATE|TETRAHYDRATE|ANHYDROUS|' +
    'PROPIONATE|DIPROPIONATE|VALERATE|FUROATE|XINAFOATE|UNDECANOATE|CYPIONATE|ENANTHATE|DECANOATE|PALMITATE|' +
    'CAPROATE|STEARATE|ESTOLATE|ETHYLSUCCINATE|' +
    'MEDOXOMIL|KAMEDOXOMIL|CILEXETIL|AXETIL|PROXETIL|PIVOXIL|DIPIVOXIL|MARBOXIL|MOFETIL|ETEXILATE|DISOPROXIL|POLACRILEX|POLISTIREX)$',
);
const title = (w: string) => (w === 'HYDROCHLORIDE' ? 'HCl' : w[0] + w.slice(1).toLowerCase());

/**
 * Drugs in neither split, for probes (`synthesise({ probeDrugs })`): every single-ingredient entry of
 * the FDA lexicon the reader ships (packages/ocr-worker/data) with milligram strengths whose
 * ingredient no pool has, printed as a tablet or a capsule. How the reader does on drug names and
 * strengths it was never developed against, without reading validation's held-out drugs.
 */
export function probeDrugs(): Drug[] {
  const tsv = gunzipSync(readFileSync(new URL('../../ocr-worker/data/drug-lexicon.tsv.gz', import.meta.url))).toString('utf8');
  const known = new Set(DRUGS.map((d) => d.base.toUpperCase()));
  const out: Drug[] = [];
  for (const line of tsv.split('\n')) {
    const [ingredient = '', brands = '', strengths = ''] = line.split('\t');
    const words = ingredient.split(' ');
    if (!/^[A-Z]+( [A-Z]+){0,2}$/.test(ingredient) || known.has(words[0]!)) continue;
    const mg = strengths.split(' ').filter((x) => /^\d+(\.\d+)?mg$/.test(x)).slice(0, 5);
    if (mg.length === 0) continue;
    const name = words.map(title).join(' ');
    // The ingredient without its salt: what the scorer accepts alone ("Abacavir" of "Abacavir Sulfate").
    const bare = words.filter((w, i) => i === 0 || !SALT.test(w));
    const base = bare.map(title).join(' ');
    const brand = brands.split(',')[0]?.split(' ').filter(Boolean).map(title).join(' ') || base;
    out.push({ name, base, brand, kind: hash(ingredient) % 3 === 0 ? 'cap' : 'tab', strengths: mg.map((x) => x.replace('mg', ' mg')) });
  }
  return out;
}
