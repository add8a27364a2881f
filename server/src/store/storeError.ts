/**
 * The one error type of the state store. Every failure that touches the state
 * directory ends up here, with the errno-style `code`, the `path` involved and
 * a message a person can act on ("no space left on device while writing …").
 */
export class StoreError extends Error {
  /** An errno code (`ENOSPC`, `EIO`, …) or one of the store's own codes (`EBADID`, `ECORRUPT`). */
  readonly code: string;
  /** The file or directory the failure is about. */
  readonly path: string;

  constructor(code: string, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.path = path;
  }
}

/** Plain-words descriptions of the errno codes a state write can hit. */
const CODE_WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EFBIG: 'file too large (size limit reached)',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EMFILE: 'too many open files',
};

/** The errno `code` of a Node fs error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Wraps a low-level fs error as a `StoreError` whose message says what failed,
 * while doing what, on which path. A `StoreError` passes through unchanged.
 */
export function toStoreError(error: unknown, action: string, path: string): StoreError {
  if (error instanceof StoreError) {
    return error;
  }
  const code = errnoCode(error) ?? 'EUNKNOWN';
  const words =
    CODE_WORDS[code] ?? (error instanceof Error ? error.message : String(error)) ?? code;
  return new StoreError(code, path, `${words} while ${action} ${path}`, { cause: error });
}

/** Whether an error is an fs error with the given errno code. */
export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = errnoCode(error);
  return code !== undefined && codes.includes(code);
}
