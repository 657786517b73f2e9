/**
 * Every limit of the API in one place (documented in worker/README.md). Requests past a limit get a
 * JSON error before any expensive work: the body is cut off at MAX_BODY_BYTES, image dimensions are
 * read from the header and checked before decoding.
 */

/** Largest request body: a phone photo as JPEG fits, a 4096x4096 noise PNG does not need to. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Longest image side accepted, in pixels. */
export const MAX_IMAGE_SIDE = 4096;

/**
 * Most pixels accepted (width x height). A decoded image costs about 4 bytes per pixel plus the
 * decoder's working copy, and an isolate has 128 MB: 12 MP keeps the peak well under that and still
 * takes a 12 MP phone photo (4032x3024).
 */
export const MAX_IMAGE_PIXELS = 12_200_000;

/** Most digits read from one image or sent in one pixels request. */
export const MAX_DIGITS = 32;

/** Values per preprocessed 28x28 digit in a pixels request. */
export const PIXELS_PER_DIGIT = 784;

/** Content types of images the API decodes. */
export const SUPPORTED_IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;
