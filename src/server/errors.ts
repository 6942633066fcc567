import { ERROR_STATUS, type ApiError, type ErrorCode } from '../shared/errors';

/** An error with a stable code, answered as `{code, message}` with the code's status. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): ApiError {
    return { code: this.code, message: this.message };
  }
}
