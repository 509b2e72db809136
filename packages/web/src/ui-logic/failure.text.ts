import type { JobStatusView } from '@rxscan/contracts';
import { sentence } from './api.errors.js';

/**
 * Words for failures whose server message is written for operators (or reads oddly,
 * as "after 1 tries" does). Other codes keep the worker's own message, which is
 * already written for the person holding the tablet.
 */
const WORDS: Record<string, string> = {
  delivery_exhausted: 'The reader stopped before it finished this photo (it may have been restarted). Tap Retry to read it again.',
  ocr_error: 'Reading the label went wrong several times. Tap Retry, or take a new photo.',
  image_missing: 'The photo of this scan is no longer stored. Take the photo again.',
  image_gone: 'The photo of this scan is no longer stored. Take the photo again.',
  not_an_image: 'The photo could not be opened as an image. Take the photo again.',
  image_decode_failed: 'The photo could not be opened as an image. Take the photo again.',
  image_too_large: 'The photo is too large to read. Take it again from a little further away.',
};

const FALLBACK = 'The label could not be read. Try again with the label flat, well lit and filling the photo.';

/** Why a reading failed, in words for the person holding the tablet. */
export function failureText(view: Pick<JobStatusView, 'error'>): string {
  const code = view.error?.code;
  if (code && WORDS[code]) return WORDS[code];
  const message = view.error?.message?.trim();
  return message ? sentence(message) : FALLBACK;
}

/** Whether reading the same photo again could work; a photo that is not an image will not. */
export const canRetry = (view: Pick<JobStatusView, 'status' | 'error'> | undefined): boolean =>
  view?.status === 'failed' && view.error?.retryable !== false;
