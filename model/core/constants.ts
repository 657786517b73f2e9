/**
 * Every number the recognition core, the worker, the element, training and the tests share, in one
 * place. Change one here and every part follows.
 */

/** A model input is one digit in a square field of this many pixels a side (MNIST's format). */
export const DIGIT_SIDE = 28;
/** Values per model input: DIGIT_SIDE x DIGIT_SIDE, white ink on black, row by row, 0..1. */
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
/** The digit's longest side inside the field, as MNIST was made (20 px in 28). */
export const DIGIT_BOX = 20;
/**
 * Where MNIST puts a digit's centre of mass, with pixel i spanning [i, i+1): 14.5 (measured on its
 * validation digits: 14.50, 14.50). Using 14 instead shifts every digit by a pixel.
 */
export const DIGIT_CENTRE = 14.5;

/** Images are reduced (area average) to this longest side before ink is looked for: bounded work. */
export const WORKING_SIZE = 400;

/** At most this many digits per image or per pixels request; more is an error, not a guess. */
export const MAX_DIGITS = 32;

/** Digits less probable than this are flagged `uncertain` ("not sure"), never silently trusted. */
export const CONFIDENCE_THRESHOLD = 0.7;

/** The classes a model tells apart: the ten digits. */
export const DIGIT_CLASSES = 10;

/**
 * Bounds on the work of reading one image, checked before each expensive step (an 875-byte PNG of
 * 5,312 bars once held the worker for half a minute). More separate marks than MAX_MARKS is no number
 * (a texture, a page of text): a clear error instead of a long search.
 */
export const MAX_MARKS = 4 * MAX_DIGITS;
/** At most this many cuts are proposed through one mark of touching digits. */
export const MAX_CUTS_PER_MARK = 6;
/**
 * A candidate digit is made of at most this many adjacent pieces (a 5 with a detached bar is two; a
 * faint photo may break a digit in four or five: MNIST validation photos 97.0% read at 3, 98.3% at 5).
 */
export const MAX_PIECES_PER_DIGIT = 5;
/** At most this many candidate digits go to the classifier, in one batch. */
export const MAX_CANDIDATES = 8 * MAX_DIGITS;

/**
 * A drawing is read with its pen at most this wide, as a share of the writing's height: a 16 px
 * finger stroke in a row of ten small digits would fill their loops, while the model knows pens
 * that are a tenth of a digit's height (as MNIST's are). The screen shows the strokes as drawn.
 */
export const READING_PEN_SHARE = 0.11;
