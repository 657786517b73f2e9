/** Errors of the recognition core that callers turn into their own (HTTP 422, the element's message). */

/** More digit-like marks than the limit: an error, not a guess at which ones count. */
export class TooManyDigitsError extends Error {
  override name = 'TooManyDigitsError';
  constructor(
    readonly found: number,
    readonly limit: number,
  ) {
    super(`found ${found} digit-like marks, more than the limit of ${limit}`);
  }
}

/** More separate marks than any number has (a texture, a page of text): refused before the search. */
export class TooManyMarksError extends Error {
  override name = 'TooManyMarksError';
  constructor(
    readonly found: number,
    readonly limit: number,
  ) {
    super(`found ${found} separate marks, more than the ${limit} a number can have`);
  }
}
