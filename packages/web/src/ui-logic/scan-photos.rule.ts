import { imageUrlOf } from './api.client.js';

/** One photo of a scan as the status lists it (`images`); servers from before several photos list none. */
export interface ScanImage {
  index: number;
  url: string;
  width?: number;
  height?: number;
}

/** Where a field was read: on photo `image`, x, y, w, h as fractions 0..1 of that upright photo. */
export interface FieldBox {
  image: number;
  x: number;
  y: number;
  w: number;
  h: number;
}
export type FieldBoxes = Partial<Record<string, FieldBox>>;

/** A photo to show in the review: where to load it from, and its place in the scan. */
export interface ReviewPhoto {
  url: string;
  /** Its index in the scan: the boxes' `image`. */
  index: number;
}

/** The photo of a job at `index`, as the server shows it (upright, metadata stripped). */
export const imageUrlAt = (jobId: string, index: number): string => `/meds/extract/${encodeURIComponent(jobId)}/image/${index}`;

const isBox = (b: unknown): b is FieldBox => {
  const o = b as Partial<FieldBox> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    [o.image, o.x, o.y, o.w, o.h].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    o.w! > 0 &&
    o.h! > 0
  );
};

/** The boxes of a reading or a draft: those well formed; none from a server that keeps none. */
export function boxesOf(from: object | null | undefined): FieldBoxes {
  const raw = (from as { boxes?: unknown } | null | undefined)?.boxes;
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(Object.entries(raw).filter(([, b]) => isBox(b))) as FieldBoxes;
}

/** The photos a job's status lists, in the order taken. */
export function imagesOf(view: object | null | undefined): ScanImage[] {
  const raw = (view as { images?: unknown } | null | undefined)?.images;
  if (!Array.isArray(raw)) return [];
  return (raw as ScanImage[]).filter((i) => typeof i?.url === 'string' && typeof i.index === 'number').sort((a, b) => a.index - b.index);
}

/**
 * The photos of a scan to show beside its fields: those taken on this tablet while the
 * page lives (object URLs, in order) when there are; else the ones the status lists;
 * else the server's single photo of the job (a server from before several photos).
 */
export function reviewPhotosOf(opts: { local?: readonly string[]; view?: object | null; jobId?: string | null; count?: number }): ReviewPhoto[] {
  if (opts.local && opts.local.length > 0) return opts.local.map((url, index) => ({ url, index }));
  const listed = imagesOf(opts.view);
  if (listed.length > 0) return listed.map((i) => ({ url: i.url, index: i.index }));
  if (!opts.jobId) return [];
  const count = opts.count ?? 1;
  if (count > 1) return Array.from({ length: count }, (_, index) => ({ url: imageUrlAt(opts.jobId!, index), index }));
  return count === 1 ? [{ url: imageUrlOf(opts.jobId), index: 0 }] : [];
}

/** A rectangle in CSS pixels. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where a photo of `natural` size sits in a frame of `frame` size when fitted whole and centred (object-fit: contain). */
export function containedRect(natural: { width: number; height: number }, frame: { width: number; height: number }): Rect {
  if (natural.width <= 0 || natural.height <= 0 || frame.width <= 0 || frame.height <= 0) return { left: 0, top: 0, width: 0, height: 0 };
  const scale = Math.min(frame.width / natural.width, frame.height / natural.height);
  const width = natural.width * scale;
  const height = natural.height * scale;
  return { left: (frame.width - width) / 2, top: (frame.height - height) / 2, width, height };
}

/** A field's box on the photo as shown in `photo` (the photo's rectangle in the frame), clipped to it. */
export function boxOnPhoto(box: FieldBox, photo: Rect): Rect {
  const x0 = Math.min(1, Math.max(0, box.x));
  const y0 = Math.min(1, Math.max(0, box.y));
  const x1 = Math.min(1, Math.max(x0, box.x + box.w));
  const y1 = Math.min(1, Math.max(y0, box.y + box.h));
  return { left: photo.left + x0 * photo.width, top: photo.top + y0 * photo.height, width: (x1 - x0) * photo.width, height: (y1 - y0) * photo.height };
}
