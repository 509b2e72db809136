/** Why an image could not be read at all; retrying the same bytes will not help. */
export type UnreadableImageCode = 'not_an_image' | 'image_too_large' | 'image_decode_failed';

/**
 * Thrown by `extract()` when the bytes are not a decodable image. A photo that decodes but
 * holds no readable text is NOT an error: it yields an all-null Extraction with needs_review.
 */
export class UnreadableImageError extends Error {
  override readonly name = 'UnreadableImageError';
  readonly code: UnreadableImageCode;
  constructor(code: UnreadableImageCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const isUnreadableImage = (err: unknown): err is UnreadableImageError => err instanceof UnreadableImageError;
