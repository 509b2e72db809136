import type multer from '@koa/multer';
import { HttpError } from '@rxscan/service-kit';

const MULTER: Record<string, [number, string, string]> = {
  LIMIT_FILE_SIZE: [413, 'file_too_large', 'the photo is larger than the upload limit'],
  LIMIT_SCAN_SIZE: [413, 'scan_too_large', 'the photos of this scan are together larger than the limit for one scan'],
  LIMIT_PART_COUNT: [400, 'too_many_parts', 'the form has too many parts'],
  LIMIT_FILE_COUNT: [413, 'too_many_images', 'at most 4 photos per scan, each in a part named "image"'],
  LIMIT_FIELD_KEY: [400, 'field_name_too_long', 'a form field name is too long'],
  LIMIT_FIELD_VALUE: [400, 'field_too_long', 'a form field value is too long'],
  LIMIT_FIELD_COUNT: [400, 'too_many_fields', 'the form has too many fields'],
  LIMIT_UNEXPECTED_FILE: [400, 'unexpected_file_field', 'send the photos in parts named "image", at most 4'],
  MISSING_FIELD_NAME: [400, 'missing_field_name', 'a form field has no name'],
};

/** Turns multer's and busboy's errors into the service's error contract; other errors pass through. */
export function uploadError(err: unknown, maxBytes: number): unknown {
  const code = (err as { code?: string }).code;
  const known = code ? MULTER[code] : undefined;
  // More than four parts named "image": the scan has too many photos, whichever limit noticed first.
  if (code === 'LIMIT_UNEXPECTED_FILE' && (err as { field?: string }).field === 'image') {
    return new HttpError(413, 'too_many_images', MULTER.LIMIT_FILE_COUNT![2], { cause: err });
  }
  if (known) {
    const [status, errCode, message] = known;
    const limit = code === 'LIMIT_FILE_SIZE' ? maxBytes : code === 'LIMIT_SCAN_SIZE' ? (err as { limit?: number }).limit : undefined;
    const detail = limit ? `${message} (${Math.round(limit / 1024 / 1024)} MB)` : message;
    return new HttpError(status, errCode, detail, { cause: err });
  }
  const message = err instanceof Error ? err.message : '';
  // busboy's complaints about the body itself (no boundary, truncated or malformed multipart).
  if (/multipart|boundary|Unexpected end of form|Malformed part header|Unsupported content type/i.test(message)) {
    return new HttpError(400, 'malformed_upload', 'the upload is not a well-formed multipart/form-data request with a field "image"', { cause: err });
  }
  return err;
}

/**
 * multer's memory storage with one more bound: the bytes of all files of one request together.
 * `limits.fileSize` bounds each photo; four photos at that size, times the upload slots, would be
 * what a few clients could make the service hold. Past `maxTotal` the part is drained and the
 * upload fails with LIMIT_SCAN_SIZE (413 scan_too_large); nothing is kept.
 */
export function boundedMemoryStorage(maxTotal: number): multer.StorageEngine {
  const used = new WeakMap<object, number>();
  return {
    _handleFile(req, part, cb) {
      // The typings leave out the part's stream, which multer hands every storage engine.
      const file = part as multer.File & { stream: NodeJS.ReadableStream };
      const chunks: Buffer[] = [];
      let settled = false;
      const settle = (err: Error | null, info?: { buffer: Buffer; size: number }) => {
        if (settled) return;
        settled = true;
        if (err) chunks.length = 0;
        cb(err, info as multer.File | undefined);
      };
      file.stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        const total = (used.get(req) ?? 0) + chunk.length;
        used.set(req, total);
        if (total > maxTotal) {
          file.stream.resume(); // drain the rest; busboy must reach the end of the part
          settle(Object.assign(new Error('scan too large'), { code: 'LIMIT_SCAN_SIZE', limit: maxTotal }));
          return;
        }
        chunks.push(chunk);
      });
      file.stream.on('error', (err: Error) => settle(err));
      file.stream.on('end', () => {
        const buffer = Buffer.concat(chunks);
        settle(null, { buffer, size: buffer.length });
      });
    },
    _removeFile(_req, file, cb) {
      delete (file as { buffer?: Buffer }).buffer;
      cb(null as unknown as Error);
    },
  };
}
