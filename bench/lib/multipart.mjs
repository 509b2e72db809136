import { randomBytes } from 'node:crypto';

/**
 * A multipart/form-data body with the photo in the field "image", built once so every request
 * of a load test sends exactly the same bytes (the load generator then adds no per-request work).
 */
export function multipartBody(image, filename = 'label.jpg', type = 'image/jpeg') {
  const boundary = `----rxscan-bench-${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), image, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
