import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RelayError } from '../../../common/errors';
import { errorBody, HTTP_STATUS, httpStatusOf } from '../../../server/src/http/errors';
import { DuplicateUsernameError, NotFoundError, ValidationError } from '../../../server/src/store/errors';

describe('the HTTP status of each error code', () => {
  it('is the one table', () => {
    expect(HTTP_STATUS).toEqual({
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
    });
  });

  it('has an error status for every code, and 5xx only for our side (internal, timeout, draining)', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusOf(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status >= 500, code).toBe(code === 'internal' || code === 'timeout' || code === 'draining');
    }
  });

  it('answers store errors by their own code', () => {
    expect(httpStatusOf(new ValidationError([{ field: 'f', message: 'm' }]).code)).toBe(400);
    expect(httpStatusOf(new DuplicateUsernameError('lan').code)).toBe(409);
    expect(httpStatusOf(new NotFoundError('call', 'x').code)).toBe(404);
  });
});

describe('errorBody', () => {
  it('is { code, message } for a plain refusal: no empty issues', () => {
    expect(errorBody(new RelayError('forbidden', 'No.'))).toEqual({
      error: { code: 'forbidden', message: 'No.' },
    });
  });

  it("carries a ValidationError's issues", () => {
    const issues = [
      { field: 'username', message: 'too short' },
      { field: 'languages', message: 'add ko' },
    ];
    expect(errorBody(new ValidationError(issues))).toEqual({
      error: { code: 'invalid-payload', message: 'username: too short; languages: add ko', issues },
    });
  });
});
