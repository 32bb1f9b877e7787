import { ScimError } from '../errors/index.js';

/** The `scimType` a path or filter error carries: filters say `invalidFilter`, PATCH paths `invalidPath`. */
export type PathErrorType = 'invalidFilter' | 'invalidPath';

/** A 400 `ScimError` of the given type; every parse and resolution failure goes through here. */
export function pathError(type: PathErrorType, detail: string): ScimError {
  return new ScimError(400, type, detail);
}

/** Quotes a piece of client input for an error detail, shortened so a hostile input cannot bloat the response. */
export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
