import sharp from 'sharp';

/** What one generated pharmacy label prints. Dates as the label prints them (MM/DD/YYYY). */
export interface LabelText {
  pharmacy: string;
  phone: string;
  rx: string;
  filled: string;
  patient: string;
  drug: string;
  directions: string;
  quantity: number;
  refills: number;
  prescriber: string;
  discard: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A pharmacy label as a phone would photograph it, rendered from SVG by sharp: the two
 * fixtures in tests/fixtures/labels are for the same patient, and these tests need two.
 * Plain layout, large type, a warm paper background; read by the real OCR pipeline.
 */
export async function renderLabel(t: LabelText): Promise<Buffer> {
  const lines: [string, number, boolean][] = [
    [`${t.pharmacy}   ${t.phone}`, 40, true],
    ['118 MAIN ST, SPRINGFIELD, IL 62701', 30, false],
    [`Rx: ${t.rx}        Date Filled: ${t.filled}`, 34, false],
    [t.patient, 40, true],
    [t.drug, 44, true],
    [t.directions, 36, false],
    [`QTY: ${t.quantity}        REFILLS: ${t.refills}`, 34, false],
    [t.prescriber, 32, false],
    [`DISCARD AFTER: ${t.discard}`, 30, false],
  ];
  let y = 80;
  const text = lines
    .map(([s, size, bold]) => {
      y += size + 26;
      return `<text x="60" y="${y}" font-family="DejaVu Sans" font-size="${size}" ${bold ? 'font-weight="bold"' : ''} fill="#111">${escape(s)}</text>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="${y + 90}"><rect width="100%" height="100%" fill="#f6f2e8"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

export const SARAH: LabelText = {
  pharmacy: 'CVS PHARMACY #1234',
  phone: '(555) 010-2000',
  rx: '6123459',
  filled: '10/01/2026',
  patient: 'SMITH, SARAH',
  drug: 'LISINOPRIL 10 MG TABLET',
  directions: 'TAKE 1 TABLET BY MOUTH ONCE DAILY',
  quantity: 30,
  refills: 3,
  prescriber: 'DR. ANA LEE',
  discard: '10/01/2027',
};

export const THOMAS: LabelText = {
  pharmacy: 'CORNER DRUG',
  phone: '(217) 555-0142',
  rx: '7700158',
  filled: '09/15/2026',
  patient: 'THOMAS BROWN',
  drug: 'METFORMIN 500 MG TABLET',
  directions: 'TAKE 1 TABLET BY MOUTH TWICE DAILY',
  quantity: 60,
  refills: 5,
  prescriber: 'DR. NADIA OKAFOR',
  discard: '09/15/2027',
};
