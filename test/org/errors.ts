// Error types shared by the endpoints.

export interface SfErrorItem {
  errorCode: string;
  message: string;
  fields?: string[];
}

/** A top-level REST error: HTTP status plus the `[{message, errorCode, fields}]` body. */
export class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  body(): SfErrorItem[] {
    const item: SfErrorItem = { message: this.message, errorCode: this.errorCode };
    if (this.fields) item.fields = this.fields;
    return [item];
  }
}

/** A per-record DML error (collections use `statusCode`, bulk uses `CODE:message:fields`). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class RecordFailure extends Error {
  constructor(readonly error: RecordError) {
    super(error.message);
  }
}

export function recordError(statusCode: string, message: string, fields: string[] = []): RecordFailure {
  return new RecordFailure({ statusCode, message, fields });
}

export const malformed = (message: string) => new SfError(400, 'MALFORMED_QUERY', message);
export const invalidField = (message: string) => new SfError(400, 'INVALID_FIELD', message);
export const notFound = () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
