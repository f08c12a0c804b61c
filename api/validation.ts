import type { z } from 'zod';

/** The `400` body for failed validation: each offending field by its path, with zod's reason. */
export function validationError(error: z.ZodError): { error: string; fields: { field: string; message: string }[] } {
  const fields = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
  return { error: `invalid request: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields };
}
