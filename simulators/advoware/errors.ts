/** An error with the HTTP status Advoware answers for it; the message becomes the ASP.NET-style `{Message}`. */
export class AdvowareError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdvowareError';
  }
}

export const badRequest = (message: string): AdvowareError => new AdvowareError(400, message);
export const notFound = (message: string): AdvowareError => new AdvowareError(404, message);
export const forbidden = (message: string): AdvowareError => new AdvowareError(403, message);
export const unauthorized = (message: string): AdvowareError => new AdvowareError(401, message);
