import { HttpError } from '@rxscan/service-kit';

const MULTER: Record<string, [number, string, string]> = {
  LIMIT_FILE_SIZE: [413, 'file_too_large', 'the photo is larger than the upload limit'],
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
    const detail = code === 'LIMIT_FILE_SIZE' ? `${message} (${Math.round(maxBytes / 1024 / 1024)} MB)` : message;
    return new HttpError(status, errCode, detail, { cause: err });
  }
  const message = err instanceof Error ? err.message : '';
  // busboy's complaints about the body itself (no boundary, truncated or malformed multipart).
  if (/multipart|boundary|Unexpected end of form|Malformed part header|Unsupported content type/i.test(message)) {
    return new HttpError(400, 'malformed_upload', 'the upload is not a well-formed multipart/form-data request with a field "image"', { cause: err });
  }
  return err;
}
