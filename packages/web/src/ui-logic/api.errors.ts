/** A request the tablet made that did not work, with words a person can act on. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server was not reached at all. */
    readonly status: number,
    /** The server's stable error code, or `network` / `timeout` / `http_<status>`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** Worth asking again later: the network, a timeout, or the server side being briefly away. */
export const isTransient = (err: unknown): boolean =>
  !isApiError(err) || err.status === 0 || err.status === 429 || err.status >= 500;

const GENERIC_BY_STATUS: Record<number, string> = {
  413: 'That photo is too large. Take it again a little further from the label.',
  415: 'That file is not a photo the scanner can read.',
  429: 'Too many photos at once. Wait a moment and try again.',
  502: 'The scanner service is not answering. Try again in a moment.',
  503: 'The scanner is briefly unavailable. Try again in a few seconds.',
  504: 'The scanner took too long to answer. Try again in a moment.',
};

/** The error a failed response stands for, preferring the server's own `{ error: { code, message } }`. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = '';
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON (a proxy's HTML page, say): fall back to words for the status.
  }
  // A 5xx message is either hidden by the server ("internal server error") or technical.
  if (!message || (res.status >= 500 && code === 'internal')) {
    message = GENERIC_BY_STATUS[res.status] ?? (res.status >= 500 ? 'Something went wrong on the server. Try again in a moment.' : 'The request was refused.');
  }
  return new ApiError(res.status, code, sentence(message));
}

/** The network or a timeout, as a person would want it said. */
export function errorFromThrown(err: unknown): ApiError {
  if (isApiError(err)) return err;
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return new ApiError(0, 'timeout', 'The server took too long to answer. Check the Wi-Fi and try again.', { cause: err });
  }
  if (name === 'AbortError') return new ApiError(0, 'aborted', 'Cancelled.', { cause: err });
  return new ApiError(0, 'network', "Could not reach RxScan. Check the tablet's Wi-Fi and try again.", { cause: err });
}

/** Server messages are written lower-case for logs; on screen they start a sentence. */
export const sentence = (s: string): string => {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
};
