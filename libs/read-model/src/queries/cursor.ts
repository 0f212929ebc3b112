import { CodedError } from '@chronicle/errors';

/** The cursor is not one this service issued. Maps to BAD_USER_INPUT. */
export class InvalidCursorError extends CodedError {
  constructor(readonly cursor: string) {
    super('CURSOR_INVALID', `"${cursor}" is not a cursor of this list: pass an endCursor you received`);
  }
}

/** Opaque to clients: base64 of the execution's `seq`. */
export const encodeCursor = (seq: string): string => Buffer.from(seq, 'utf8').toString('base64');

export function decodeCursor(cursor: string): string {
  const seq = Buffer.from(cursor, 'base64').toString('utf8');
  if (!/^[0-9]{1,19}$/.test(seq)) throw new InvalidCursorError(cursor);
  return seq;
}
