/**
 * Domain errors. `message` is for logs; `userMessage` is what the person in front of the screen reads, and
 * `field` names the form field it belongs to, so the UI can put it right where they are looking.
 */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PRECONDITION_FAILED';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;
  readonly field?: string;
  /** 'stale': a write based on an old generation. The REST API answers it 412 when the client sent If-Match. */
  readonly reason?: 'stale';

  constructor(code: AppErrorCode, userMessage: string, opts: { field?: string; message?: string; reason?: 'stale' } = {}) {
    super(opts.message ?? userMessage);
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
    this.field = opts.field;
    this.reason = opts.reason;
  }
}
