// Express middleware: a request goes on only with the load tester's token. A missing or wrong one
// gets 401 and changes nothing; the token, given or expected, is never logged or echoed.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import { carriesToken } from './bearer-token.ts';

/** The current token; a token file is read again when it changes, so this may fail. */
export type TokenSource = () => Promise<string>;

export function requireToken(token: TokenSource, log: Logger): RequestHandler {
  return async (request: Request, response: Response, next: NextFunction) => {
    let expected: string;
    try {
      expected = await token();
    } catch (error) {
      // Fail closed: without a readable token nothing is accepted.
      log.error({ reason: errorMessage(error) }, 'the load tester cannot read its token; refusing the request');
      response.status(503).json({ error: 'the load tester cannot read its token' });
      return;
    }
    if (!carriesToken(request.get('authorization'), expected)) {
      log.warn({ method: request.method, path: request.path, remote: request.ip }, 'request without a valid load tester token refused');
      response.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'send the load tester token as Authorization: Bearer <token>' });
      return;
    }
    next();
  };
}
