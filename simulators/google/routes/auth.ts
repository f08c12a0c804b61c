import type { RequestHandler } from 'express';
import { GoogleApiError } from '../errors';
import type { GoogleContext } from './context';

const HINT = 'Expected OAuth 2 access token, login cookie or other valid authentication credential.';

/** Google's two 401s: no credential at all ("Login Required") and a credential it does not accept. */
export function bearerAuth(ctx: GoogleContext): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1];
    if (token === undefined) {
      throw new GoogleApiError(401, `Request is missing required authentication credential. ${HINT}`, 'required', {
        message: 'Login Required.',
        location: 'Authorization',
        locationType: 'header',
        status: 'UNAUTHENTICATED',
      });
    }
    if (ctx.accessToken !== undefined && token !== ctx.accessToken) {
      throw new GoogleApiError(401, `Request had invalid authentication credentials. ${HINT}`, 'authError', {
        message: 'Invalid Credentials',
        location: 'Authorization',
        locationType: 'header',
        status: 'UNAUTHENTICATED',
      });
    }
    next();
  };
}
