/**
 * How many digits a field expects (`length`, `minlength`, `maxlength`), as the reading's constraint
 * and as form validation: like an `<input>`, a value that is too short is `tooShort` and one that is
 * too long is `tooLong`, each with a message that says what is expected.
 */

export interface ExpectedLength {
  /** At least this many digits (undefined: no lower bound). */
  min: number | undefined;
  /** At most this many digits (undefined: no upper bound). */
  max: number | undefined;
}

/** A count attribute that means something: a whole number from 1 (`minlength` may be 0). */
function count(value: number | undefined, least: number): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= least ? value : undefined;
}

/**
 * The expected count from the attributes: `length` is both bounds and wins over the other two;
 * values that are not whole numbers are ignored, as are bounds that contradict each other
 * (minlength above maxlength: the field could never be valid).
 */
export function expectedLength(length: number | undefined, minLength: number | undefined, maxLength: number | undefined): ExpectedLength {
  const exact = count(length, 1);
  if (exact !== undefined) return { min: exact, max: exact };
  const min = count(minLength, 0);
  const max = count(maxLength, 1);
  if (min !== undefined && max !== undefined && min > max) return { min: undefined, max: undefined };
  return { min: min || undefined, max };
}

const digitsWord = (n: number) => (n === 1 ? '1 digit' : `${n} digits`);

/** "5 digits", "4 to 6 digits", "at least 4 digits", "at most 6 digits"; "" when anything goes. */
export function describeExpected({ min, max }: ExpectedLength): string {
  if (min !== undefined && min === max) return digitsWord(min);
  if (min !== undefined && max !== undefined) return `${min} to ${max} digits`;
  if (min !== undefined) return `at least ${digitsWord(min)}`;
  if (max !== undefined) return `at most ${digitsWord(max)}`;
  return '';
}

export interface CountCheck {
  tooShort: boolean;
  tooLong: boolean;
  /** Says what is expected and what was read; "" when the count fits. */
  message: string;
}

/**
 * Whether `count` digits fit. Nothing read is not too short (as an empty `<input>` is not):
 * that is `required`'s to say.
 */
export function checkCount(count: number, expected: ExpectedLength): CountCheck {
  const tooShort = count > 0 && expected.min !== undefined && count < expected.min;
  const tooLong = expected.max !== undefined && count > expected.max;
  const message =
    tooShort || tooLong ? `Expected ${describeExpected(expected)}, but ${count === 1 ? '1 digit was' : `${count} digits were`} read.` : '';
  return { tooShort, tooLong, message };
}
