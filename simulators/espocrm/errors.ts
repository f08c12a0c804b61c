/** An error the CRM answers with a status, an `X-Status-Reason` header and `{message}`. */
export class EspoError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EspoError';
  }
}

export const badRequest = (message: string): EspoError => new EspoError(400, message);
export const unauthorized = (message = 'Unauthorized'): EspoError => new EspoError(401, message);
export const forbidden = (message: string): EspoError => new EspoError(403, message);
export const notFound = (message = 'Not Found'): EspoError => new EspoError(404, message);
