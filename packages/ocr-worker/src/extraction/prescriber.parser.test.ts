import { describe, expect, it } from 'vitest';
import { cleanPrescriberName, findPrescriber } from './prescriber.parser.js';
import { segmentsOf } from './label.layout.js';
import { parseLabel } from './label.parser.js';
import { reading } from './ocr-reading.fixture.js';

describe('cleanPrescriberName', () => {
  it('gives "Given Surname" from every printed form', () => {
    expect(cleanPrescriberName('SMITH, SARAH MD', 'last-first')).toBe('Sarah Smith');
    expect(cleanPrescriberName('Dr. Margot Russo')).toBe('Margot Russo');
  });
  it('drops a title whose D was read as O or 0: "Or." and "0r." are no name words', () => {
    expect(cleanPrescriberName('Or. Margot Russo')).toBe('Margot Russo');
    expect(cleanPrescriberName('0r. Margot Russo')).toBe('Margot Russo');
    // Without the point it may be a name, and is kept.
    expect(cleanPrescriberName('Oren Margolis')).toBe('Oren Margolis');
  });
});

describe('a prescriber run together with the next field on the line', () => {
  it.each([
    ['Prescribed by: Dr. Ethan Anderson Fill date: 12/24/2023', 'Ethan Anderson'],
    ['Physician: Benjamin Okafor Day supply: 60', 'Benjamin Okafor'],
    ['Doctor: Margot Ivanova Do not use after: 12/18/2027', 'Margot Ivanova'],
    ['Prescriber: Lena Ivanova Disp: 30 Tablets', 'Lena Ivanova'],
    ['Prescriber: Paloma Bianchi RF 2', 'Paloma Bianchi'],
    ['Prescriber: Sofia Halvorsen Oty: 30', 'Sofia Halvorsen'],
    ['Prescriber: Sofia Halvorsen (ty dispensed: 30', 'Sofia Halvorsen'],
    ['Doctor: Mateo Thompson No refills', 'Mateo Thompson'],
    ['Prescriber: Thomas Halvorsen Medication: Lisinopril', 'Thomas Halvorsen'],
  ])('ends the name at the next caption: %s', (text, name) => {
    expect(cleanPrescriberName(text.replace(/^[^:]+:\s*/, ''))).toBe(name);
  });
  it.each([
    ['Prescribed by: Dr. Fatima BergeronDISCARD AFTER: 05/20/2025', 'Fatima Bergeron'],
    ['Prescriber: Paloma BianchiQTY: 30', 'Paloma Bianchi'],
  ])('ends the name at a capitalised caption whose space was lost: %s', (text, name) => {
    expect(cleanPrescriberName(text.replace(/^[^:]+:\s*/, ''))).toBe(name);
  });
  it('keeps a name with a capital inside it that spells a caption in small letters', () => {
    expect(cleanPrescriberName('Dr. Lucia DeFillippo')).toBe('Lucia Defillippo');
    expect(cleanPrescriberName('Dr. Ian MacDonald')).toBe('Ian Macdonald');
    expect(cleanPrescriberName('SMITH, SARAH MD', 'last-first')).toBe('Sarah Smith');
  });
});

describe('an initial or a title whose space after the point was lost', () => {
  it('starts a name word after the point', () => {
    expect(cleanPrescriberName('P.DUBOIS')).toBe('P. Dubois');
    // The point and the space both lost (a hard photo, batch 126900).
    expect(cleanPrescriberName('Dr ATanaka')).toBe('A Tanaka');
    expect(cleanPrescriberName('Dr.lena Lee')).toBe('Lena Lee');
    expect(cleanPrescriberName('DR.L.ROMERO')).toBe('L. Romero');
    expect(findPrescriber(segmentsOf(reading('Refills authorized: 0 Day supply: 28 DR.F.NGUYEN')))?.value).toBe('F. Nguyen');
    expect(cleanPrescriberName('HUGHES, C.ANNA', 'last-first')).toBe('C. Anna Hughes');
  });
  it('leaves a credential with points alone', () => {
    expect(cleanPrescriberName('Sarah Smith, M.D.')).toBe('Sarah Smith');
  });
});

describe('a street that is a Drive', () => {
  it('is no title: an address line names no prescriber', () => {
    expect(findPrescriber(segmentsOf(reading('501 Shore Dr. Erie. PA 16507')))).toBeNull();
    expect(findPrescriber(segmentsOf(reading('12 Ocean Dr, Cairns QLD 4870')))).toBeNull();
  });
  it('still reads a prescriber on a line of their own or after a caption', () => {
    expect(findPrescriber(segmentsOf(reading('DR. SOFIA DUBOIS')))?.value).toBe('Sofia Dubois');
    expect(findPrescriber(segmentsOf(reading('60 TABLETS DR. JANE SMITH')))?.value).toBe('Jane Smith');
    expect(findPrescriber(segmentsOf(reading('Prescriber: Dr. Ann Lee, 12 Main St, Erie PA 16501')))?.value).toBe('Ann Lee');
  });
});

describe('a credential in brackets', () => {
  it('is dropped like one printed bare', () => {
    expect(cleanPrescriberName('Clarke, Amara (MD)', 'last-first')).toBe('Amara Clarke');
    expect(cleanPrescriberName('Amara Clarke (NP)')).toBe('Amara Clarke');
  });
});

describe('findPrescriber', () => {
  const find = (row: string) => findPrescriber(segmentsOf(reading(row)));
  it("reads an O before an apostrophe that was read as 0 (\"0'Brien\")", () => {
    expect(find("Dr Rohan 0'Brien")?.value.toLowerCase()).toBe("rohan o'brien");
  });
  it('reads an O between letters that was read as 0 ("Z0E"), not dropping it', () => {
    expect(find('REFILLS: 5 PRESCRIBER: HALVORSEN, Z0E')?.value).toBe('Zoe Halvorsen');
    expect(find('Dr. J0HN Smith')?.value).toBe('John Smith');
  });
  it('drops a short word in small letters opening a name: a misread title ("br" for "Dr")', () => {
    expect(find('RF 1 18/2028 Prescribed by: br Peter Hughes')?.value).toBe('Peter Hughes');
    expect(find('Prescriber: Maria de Souza')?.value).toBe('Maria DE Souza');
  });
  it('marks one name word with no title before it as partial: the surname was lost', () => {
    expect(find('Prescriber: Ethan')?.partial).toBe(true);
    expect(find('Dr. Clarke')?.partial).toBe(false);
    expect(find('Prescriber: SMITH, JOHN')?.partial).toBe(false);
  });
  it('reads the name after a later title when an earlier "Dr." on the line is a refill phrase', () => {
    expect(find('No Refills - Dr. Authorization Required DR. SOFIA DUBOIS')?.value).toBe('Sofia Dubois');
  });
  it('reads "Or." and "0r." before capitalised name words as the title "Dr." read wrong', () => {
    expect(find('Or. E. Roy 02-Dec-2025')?.value).toBe('E. Roy');
    expect(find('0r. Clarke, Amara')?.value).toBe('Amara Clarke');
    expect(find('Or. E. Roy')?.partial).toBe(false);
  });
  it('reads a title whose space was lost ("DrR Young") as the title and the name', () => {
    expect(find('Mrs Wendy DELACROIX DrR Young')?.value).toBe('R Young');
    expect(find('DrSofia Dubois')?.value).toBe('Sofia Dubois');
    expect(find('DrR Young')?.partial).toBe(false);
  });
  it('takes no name from a word that only starts with "dr"', () => {
    expect(find('DRINK PLENTY OF WATER')).toBeNull();
    expect(find('Dry Mouth May Occur')).toBeNull();
  });
  it('takes no credential from the warning "DO NOT": the words before it are directions, not a name', () => {
    expect(find('TAKE ONE TABLET BY MOUTH 1 TIME A DAY DO NOT CRUSH OR CHEW')).toBeNull();
    expect(find('Ethan Thompson, DO')?.value).toBe('Ethan Thompson');
    expect(find('THOMPSON, ETHAN DO')?.value).toBe('Ethan Thompson');
  });
  it('takes no name from "or." in running text', () => {
    expect(find('Use 1 patch every 3 days or. as directed')).toBeNull();
    expect(find('TAKE WITH FOOD OR. MILK')).toBeNull();
  });
  it('is not sure of a partial name', () => {
    expect(parseLabel(reading('LISINOPRIL 10 MG TABLET', 'TAKE 1 TABLET DAILY', 'Prescriber: Ethan')).confidence.prescriber).toBeLessThan(0.85);
  });
});
