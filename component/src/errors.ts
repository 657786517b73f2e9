/**
 * Every failure the element can show, with a stable `code` for programs and a `message` for people.
 * The same `{ code, message }` is the detail of the `digit-error` event.
 */

export type RecognizerErrorCode =
  /** The file is not one of the accepted image types. */
  | 'unsupported-file'
  /** The file claims to be an image but cannot be decoded. */
  | 'unreadable-image'
  /** The file is larger than the element accepts. */
  | 'file-too-large'
  /** More digit-like marks than MAX_DIGITS. */
  | 'too-many-digits'
  /** More separate marks than any number has (MAX_MARKS): a texture, a page of text. */
  | 'too-many-marks'
  /** `mode="local"` but this browser cannot run WebGL. */
  | 'webgl-unavailable'
  /** The model files could not be loaded (`mode="local"`; in `auto` the element falls back instead). */
  | 'model-load'
  /** The server could not be reached. */
  | 'network'
  /** The server did not answer within `timeout` ms. */
  | 'timeout'
  /** The server answered with an error or with something that is not a prediction. */
  | 'server'
  /** A bug: something failed that should not have. The message says what. */
  | 'internal';

export class RecognizerError extends Error {
  override name = 'RecognizerError';
  constructor(
    readonly code: RecognizerErrorCode,
    message: string,
    /** Whether trying the same thing again can help (shows the Retry button). */
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toDetail(): { code: RecognizerErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
