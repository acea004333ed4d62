import type { ErrorRequestHandler, RequestHandler } from 'express';
import { type ErrorCode, type FieldIssue, isErrorCode, RelayError } from '../../../common/errors';
import type { Logger } from '../logger';

/**
 * The HTTP status of each error code: the one table, so a route only picks the code. Some codes
 * are only sent over sockets today; they have a status anyway so any RelayError can answer HTTP.
 */
export const HTTP_STATUS = {
  'invalid-payload': 400,
  'invalid-language': 400,
  unauthenticated: 401,
  forbidden: 403,
  'awaiting-approval': 403,
  'not-found': 404,
  'unknown-event': 404,
  'invalid-state': 409,
  taken: 409,
  expired: 410,
  'call-ended': 410,
  'media-rejected': 422,
  'rate-limited': 429,
  'limit-reached': 429,
  internal: 500,
  timeout: 503,
  draining: 503,
} as const satisfies Record<ErrorCode, number>;

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** What every refused API request answers: the client branches on `code`, shows `issues` by field. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: FieldIssue[] };
}

export function errorBody(err: RelayError): ErrorBody {
  const { code, message, issues } = err;
  // `issues` only when there are some, so a plain refusal's body stays `{ code, message }`.
  return { error: { code, message, ...(issues.length > 0 && { issues: [...issues] }) } };
}

/** Ends `/api` after every router: an unknown API path is a JSON 404, never the client's HTML. */
export const unknownApi: RequestHandler = () => {
  throw new RelayError('not-found', 'No such API.');
};

/** A refusal from body-parser (`express.json`): bad JSON, too large, a charset it cannot read… */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    'type' in err &&
    typeof err.type === 'string' &&
    'status' in err &&
    typeof err.status === 'number'
  );
}

/** A body-parser refusal as the client's fault (`invalid-payload`), keeping body-parser's 4xx status. */
function bodyRefusal(err: BodyParserError): { status: number; body: ErrorBody } | null {
  if (err.status < 400 || err.status > 499) return null;
  const message =
    err.type === 'entity.parse.failed'
      ? 'The request body is not valid JSON.'
      : err.type === 'entity.too.large'
        ? 'The request body is too large.'
        : 'The request body could not be read.';
  return { status: err.status, body: { error: { code: 'invalid-payload', message } } };
}

/**
 * The one Express error middleware: a RelayError answers with its code's status; a body-parser
 * refusal is `invalid-payload` with body-parser's own 4xx (400 bad JSON, 413 too large, 415 an
 * unknown charset); anything else is a bug, logged, and answered `internal` 500 without its details.
 */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    // Too late to answer: Express closes the connection.
    if (res.headersSent) return next(err);
    // A deliberate `internal` is still a failure of ours: logged like any other below.
    if (err instanceof RelayError && isErrorCode(err.code) && err.code !== 'internal') {
      res.status(httpStatusOf(err.code)).json(errorBody(err));
      return;
    }
    const refused = isBodyParserError(err) ? bodyRefusal(err) : null;
    if (refused) {
      res.status(refused.status).json(refused.body);
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'http request failed');
    res.status(500).json(errorBody(new RelayError('internal', 'Something went wrong on our side.')));
  };
}
