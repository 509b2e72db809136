/**
 * Where an image really ends, found by walking its format's structure from the start:
 * JPEG segments to the first EOI after the scan, PNG chunks to IEND, WebP by its RIFF
 * size (and the chunks inside it), TIFF by its IFDs and the strips, tiles and values they
 * point at, AVIF/HEIF by its ISO-BMFF boxes and the item extents in `iloc`. Searching
 * for an end marker from the back (lastIndexOf) is fooled by a second marker in
 * whatever was appended; a walk is not. Pure: bytes in, an offset or a problem out.
 */
export type ImageEnd =
  /** The image's last byte is at `end - 1`; anything from `end` on is not part of it. */
  | { end: number }
  /** The structure stops short of where it says it goes: cut off in transit, or a broken file. */
  | { problem: 'truncated'; detail: string }
  /** Not the structure its format prescribes. */
  | { problem: 'malformed'; detail: string };

const truncated = (detail: string): ImageEnd => ({ problem: 'truncated', detail });
const malformed = (detail: string): ImageEnd => ({ problem: 'malformed', detail });

/** The end of an image of `format` (sharp's name for it), or why there is none; null for a format not walked. */
export function imageEnd(format: string, data: Buffer): ImageEnd | null {
  switch (format) {
    case 'jpeg':
      return jpegEnd(data);
    case 'png':
      return pngEnd(data);
    case 'webp':
      return webpEnd(data);
    case 'tiff':
      return tiffEnd(data);
    case 'heif':
      return isoBmffEnd(data);
    default:
      return null;
  }
}

/** JPEG: marker segments with declared lengths; after each SOS, entropy-coded data up to the next real marker. */
export function jpegEnd(d: Buffer): ImageEnd {
  if (d.length < 4 || d[0] !== 0xff || d[1] !== 0xd8) return malformed('no JPEG start-of-image marker');
  let i = 2;
  let scanned = false;
  for (;;) {
    if (i >= d.length) return truncated('the JPEG stops before its end-of-image marker');
    if (d[i] !== 0xff) return malformed(`expected a JPEG marker at byte ${i}`);
    while (i < d.length && d[i] === 0xff) i++; // fill bytes
    if (i >= d.length) return truncated('the JPEG stops before its end-of-image marker');
    const marker = d[i++]!;
    if (marker === 0xd9) return scanned ? { end: i } : malformed('the JPEG ends before any image data');
    if (marker === 0xd8 || marker === 0x00) return malformed(`unexpected JPEG marker 0xFF${marker.toString(16).padStart(2, '0').toUpperCase()} at byte ${i - 2}`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // no length
    if (i + 2 > d.length) return truncated('the JPEG stops inside a segment');
    const length = d.readUInt16BE(i);
    if (length < 2) return malformed(`a JPEG segment at byte ${i - 2} has length ${length}`);
    if (i + length > d.length) return truncated('the JPEG stops inside a segment');
    i += length;
    if (marker !== 0xda) continue;
    // Start of scan: entropy-coded bytes, where 0xFF is followed by 0x00 (a stuffed byte),
    // RST0-7 or another 0xFF (fill); any other pair is the next marker.
    scanned = true;
    for (;;) {
      const ff = d.indexOf(0xff, i);
      if (ff < 0 || ff + 1 >= d.length) return truncated('the JPEG stops inside its image data');
      const next = d[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i = ff + 2;
      else if (next === 0xff) i = ff + 1;
      else {
        i = ff;
        break;
      }
    }
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, then chunks (length, type, data, CRC) up to and including IEND. */
export function pngEnd(d: Buffer): ImageEnd {
  if (d.length < 8 || !d.subarray(0, 8).equals(PNG_SIGNATURE)) return malformed('no PNG signature');
  let i = 8;
  let first = true;
  for (;;) {
    if (i + 8 > d.length) return truncated('the PNG stops before its IEND chunk');
    const length = d.readUInt32BE(i);
    const type = d.toString('latin1', i + 4, i + 8);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) return malformed(`not a PNG chunk at byte ${i}`);
    if (first && type !== 'IHDR') return malformed('the PNG does not start with IHDR');
    first = false;
    const next = i + 12 + length;
    if (next > d.length) return truncated(`the PNG stops inside its ${type} chunk`);
    if (type === 'IEND') return { end: next };
    i = next;
  }
}

/** WebP: a RIFF container whose declared size must cover exactly the chunks inside it. */
export function webpEnd(d: Buffer): ImageEnd {
  if (d.length < 12 || d.toString('latin1', 0, 4) !== 'RIFF' || d.toString('latin1', 8, 12) !== 'WEBP') return malformed('not a RIFF WebP file');
  const end = 8 + d.readUInt32LE(4);
  if (end > d.length) return truncated('the WebP stops before the end its RIFF header declares');
  let i = 12;
  while (i < end) {
    if (i + 8 > end) return malformed(`a WebP chunk header at byte ${i} runs past the RIFF end`);
    const size = d.readUInt32LE(i + 4);
    i += 8 + size + (size & 1);
    if (i > end) return malformed('a WebP chunk runs past the RIFF end');
  }
  return { end };
}

const TIFF_TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
/** Tags that point at further IFDs: SubIFDs, EXIF, GPS, Interoperability. */
const TIFF_IFD_POINTERS = new Set([330, 34665, 34853, 40965]);
/** Offset tag → its byte-count tag: strips, tiles, the old-style JPEG thumbnail. */
const TIFF_EXTENTS: [number, number][] = [
  [273, 279],
  [324, 325],
  [513, 514],
];
const MAX_TIFF_IFDS = 256;

/** TIFF (classic, not BigTIFF): the furthest byte any IFD, value, strip or tile occupies. */
export function tiffEnd(d: Buffer): ImageEnd {
  if (d.length < 8) return truncated('the TIFF header is incomplete');
  const order = d.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return malformed('no TIFF byte-order mark');
  const le = order === 'II';
  const u16 = (at: number) => (le ? d.readUInt16LE(at) : d.readUInt16BE(at));
  const u32 = (at: number) => (le ? d.readUInt32LE(at) : d.readUInt32BE(at));
  const magic = u16(2);
  if (magic === 43) return malformed('BigTIFF files are not accepted');
  if (magic !== 42) return malformed('not a TIFF file');
  let end = 8;
  const reach = (at: number, bytes: number, what: string): ImageEnd | null => {
    if (at + bytes > d.length) return truncated(`the TIFF stops inside ${what}`);
    end = Math.max(end, at + bytes);
    return null;
  };
  const queue = [u32(4)];
  const seen = new Set<number>();
  while (queue.length) {
    const ifd = queue.shift()!;
    if (ifd === 0 || seen.has(ifd)) continue;
    if (seen.size >= MAX_TIFF_IFDS) return malformed('the TIFF has too many directories');
    seen.add(ifd);
    if (ifd + 2 > d.length) return truncated('the TIFF stops inside a directory');
    const count = u16(ifd);
    const problem = reach(ifd, 2 + 12 * count + 4, 'a directory');
    if (problem) return problem;
    /** A tag's values (SHORT, LONG or IFD), read where they are: in the entry, or at its offset. */
    const values = new Map<number, number[]>();
    for (let k = 0; k < count; k++) {
      const e = ifd + 2 + 12 * k;
      const tag = u16(e);
      const type = u16(e + 2);
      const n = u32(e + 4);
      const size = TIFF_TYPE_BYTES[type];
      if (!size) continue; // unknown types are skipped, as readers must
      const bytes = size * n;
      const at = bytes > 4 ? u32(e + 8) : e + 8;
      if (bytes > 4) {
        const p = reach(at, bytes, `the value of tag ${tag}`);
        if (p) return p;
      }
      if ((type === 3 || type === 4 || type === 13) && (TIFF_IFD_POINTERS.has(tag) || TIFF_EXTENTS.some(([a, b]) => tag === a || tag === b))) {
        if (n > 1_000_000) return malformed(`tag ${tag} of the TIFF has ${n} values`);
        values.set(tag, Array.from({ length: n }, (_, v) => (type === 3 ? u16(at + 2 * v) : u32(at + 4 * v))));
      }
    }
    for (const [offsetTag, countTag] of TIFF_EXTENTS) {
      const offsets = values.get(offsetTag) ?? [];
      const counts = values.get(countTag) ?? [];
      for (let v = 0; v < offsets.length; v++) {
        const p = reach(offsets[v]!, counts[v] ?? 0, offsetTag === 513 ? 'its thumbnail' : 'its image data');
        if (p) return p;
      }
    }
    for (const tag of TIFF_IFD_POINTERS) queue.push(...(values.get(tag) ?? []));
    queue.push(u32(ifd + 2 + 12 * count));
  }
  return { end };
}

/** ISO-BMFF (AVIF, HEIF): top-level boxes end to end, and the item extents `iloc` names inside them. */
export function isoBmffEnd(d: Buffer): ImageEnd {
  let i = 0;
  const types: string[] = [];
  let toFileEnd = false;
  let ilocEnd = 0;
  let lastStart = 0;
  while (i < d.length) {
    const complete = types.includes('ftyp') && types.includes('meta') && types.includes('mdat');
    // Whatever follows a complete image and is no box is something appended to it.
    if (i + 8 > d.length) return complete ? { end: i } : truncated('the image stops inside a box header');
    let size = d.readUInt32BE(i);
    const type = d.toString('latin1', i + 4, i + 8);
    let header = 8;
    if (size === 1) {
      if (i + 16 > d.length) return truncated('the image stops inside a box header');
      const big = d.readBigUInt64BE(i + 8);
      size = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
      header = 16;
    } else if (size === 0) {
      size = d.length - i; // "to the end of the file": the item extents say where the image really ends
      toFileEnd = true;
    }
    if (!/^[\x20-\x7e]{4}$/.test(type) || size < header || i + size > d.length) {
      if (complete) return { end: i };
      return i + size > d.length && /^[\x20-\x7e]{4}$/.test(type) ? truncated(`the image stops inside its ${type} box`) : malformed(`not an ISO-BMFF box at byte ${i}`);
    }
    if (types.length === 0 && type !== 'ftyp') return malformed('the image does not start with an ftyp box');
    if (type === 'meta') {
      const extents = ilocExtentEnd(d, i + header + 4, i + size);
      if (typeof extents !== 'number') return extents;
      ilocEnd = Math.max(ilocEnd, extents);
    }
    types.push(type);
    lastStart = i;
    i += size;
  }
  if (ilocEnd > d.length) return truncated('the image stops before the end of its picture data');
  // mdat last, running past its items (or "to the end of the file"): bytes after the picture are not part of it.
  if ((toFileEnd || types.at(-1) === 'mdat') && ilocEnd > lastStart && ilocEnd < d.length) return { end: ilocEnd };
  return { end: i };
}

/** The furthest file offset an item's extents reach, from the `iloc` box among a meta box's children. */
function ilocExtentEnd(d: Buffer, from: number, to: number): number | ImageEnd {
  let i = from;
  while (i + 8 <= to) {
    const size = d.readUInt32BE(i);
    const type = d.toString('latin1', i + 4, i + 8);
    if (size < 8 || i + size > to) return malformed('a box inside meta runs past its end');
    if (type === 'iloc') return parseIloc(d, i + 8, i + size);
    i += size;
  }
  return 0;
}

function parseIloc(d: Buffer, from: number, to: number): number | ImageEnd {
  let p = from;
  const bad = malformed('the item location box (iloc) is damaged');
  const read = (bytes: number): number | null => {
    if (p + bytes > to) return null;
    let v = 0;
    for (let b = 0; b < bytes; b++) v = v * 256 + d[p + b]!;
    p += bytes;
    return v;
  };
  const version = read(1);
  if (version === null || version > 2 || read(3) === null) return bad;
  const sizes = read(1);
  const sizes2 = read(1);
  if (sizes === null || sizes2 === null) return bad;
  const [offsetSize, lengthSize, baseSize] = [sizes >> 4, sizes & 15, sizes2 >> 4];
  const indexSize = version === 1 || version === 2 ? sizes2 & 15 : 0;
  if (![offsetSize, lengthSize, baseSize, indexSize].every((s) => s === 0 || s === 4 || s === 8)) return bad;
  const items = read(version < 2 ? 2 : 4);
  if (items === null) return bad;
  let end = 0;
  for (let k = 0; k < items; k++) {
    if (read(version < 2 ? 2 : 4) === null) return bad; // item_ID
    const method = version === 1 || version === 2 ? read(2) : 0;
    if (method === null || read(2) === null) return bad; // data_reference_index
    const base = read(baseSize);
    const extents = read(2);
    if (base === null || extents === null) return bad;
    for (let x = 0; x < extents; x++) {
      if (indexSize && read(indexSize) === null) return bad;
      const offset = read(offsetSize);
      const length = read(lengthSize);
      if (offset === null || length === null) return bad;
      // Construction method 0: an offset in the file (1 and 2 point inside idat or other items).
      if ((method & 15) === 0) end = Math.max(end, base + offset + length);
    }
  }
  return end;
}
