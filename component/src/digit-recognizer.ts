import { LitElement, html, nothing, type ComplexAttributeConverter, type PropertyValues } from 'lit';
import { CONFIDENCE_THRESHOLD, digitSegments, type PixelImage } from '../../model/core/index.js';
import { DrawingPad } from './drawing-pad.js';
import { Engine, type EngineConfig, type RecognizerMode } from './engine.js';
import { RecognizerError } from './errors.js';
import type { DigitRecognizedDetail, DigitRecognizerEventMap } from './events.js';
import { FileDropController } from './file-drop.js';
import { ACCEPT, decodeImageFile, type DecodedImage, pixelsOf } from './image-file.js';
import { PreparationThread } from './preparation-thread.js';
import { read, type Reading, type ReadingOptions } from './reading.js';
import { resultTemplate, summarize } from './result-view.js';
import { paintModelInputs, type Placement, StagePainter } from './stage.js';
import { strokesToImage } from './strokes.js';
import { styles } from './styles.js';

/** `multiple` is on unless the attribute says "false" (a boolean attribute cannot default to true). */
const onUnlessFalse: ComplexAttributeConverter<boolean> = {
  fromAttribute: (value) => value !== 'false',
  toAttribute: (value) => (value ? null : 'false'),
};

/** A number attribute that is not a number ("abc", "") falls back to the default instead of breaking timers and thresholds. */
function finite(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** Next to the script by default: the worker serves the script, the model and /predict from one origin. */
function besideScript(path: string): string {
  return new URL(path, import.meta.url).href;
}

/** The result on show, with what is needed to paint it over the image. */
interface Shown extends Reading {
  placement: Placement | undefined;
}

/**
 * `<digit-recognizer>`: draw or upload a handwritten number and read its digits.
 *
 * @summary A drawing pad and image drop zone that reads handwritten digits, with TensorFlow.js on
 * the device (WebGL) or, when that is not possible, through the server at `endpoint`.
 *
 * @event {CustomEvent<DigitRecognizedDetail>} digit-recognized - Digits were read after a user action
 *   (stopping drawing with `auto-predict` on, Predict, Retry, Enter, uploading, dropping or pasting an image).
 *   `detail` is the RecognitionResult plus `source` ("local" | "remote") and `durationMs`.
 * @event {CustomEvent<DigitErrorDetail>} digit-error - A user action failed (bad file, server unreachable,
 *   timeout...). `detail` is `{ code, message }`; the message is also shown in the element.
 * @event {CustomEvent<DigitClearDetail>} digit-clear - The user cleared the drawing or image (Clear button or Delete key).
 *
 * Methods never fire these events: `recognize()` returns its result (or rejects with the error) instead.
 *
 * @slot instructions - Replaces the default usage instructions.
 *
 * @csspart base - The wrapper around everything.
 * @csspart instructions - The usage instructions.
 * @csspart stage - The drawing area (also shows an uploaded image).
 * @csspart canvas - The canvas with the ink or the image.
 * @csspart controls - The row of buttons.
 * @csspart button - Every button.
 * @csspart predict-button - The Predict button.
 * @csspart undo-button - The Undo button.
 * @csspart clear-button - The Clear button.
 * @csspart upload-button - The Upload image button.
 * @csspart status - The progress line, also the live region announcing results.
 * @csspart error - The error message box.
 * @csspart retry-button - The Retry button in the error box.
 * @csspart result - The result section.
 * @csspart digits - The recognized digits.
 * @csspart confidence - How sure the model is of the whole number.
 * @csspart source - Where the digits were read and how long it took.
 * @csspart segments - The list of digits with their details.
 * @csspart segment - One digit: its model input, value, confidence and bars.
 * @csspart segment-input - The 28x28 picture the model saw for a digit.
 * @csspart bars - The probability bars of one digit.
 *
 * @cssproperty --digit-recognizer-text - Text colour.
 * @cssproperty --digit-recognizer-muted - Secondary text colour.
 * @cssproperty --digit-recognizer-paper - Background of the drawing area and buttons.
 * @cssproperty --digit-recognizer-ink - Colour of the drawn ink (recognition does not depend on it).
 * @cssproperty --digit-recognizer-accent - Primary button and probability bar colour.
 * @cssproperty --digit-recognizer-accent-text - Text on the accent colour.
 * @cssproperty --digit-recognizer-border - Border colour of the drawing area, buttons and digits.
 * @cssproperty --digit-recognizer-track - Background of the probability bars.
 * @cssproperty --digit-recognizer-warning - Colour of "not sure" marks.
 * @cssproperty --digit-recognizer-error - Colour of error messages.
 * @cssproperty --digit-recognizer-focus-ring - Focus outline colour.
 * @cssproperty --digit-recognizer-radius - Corner radius.
 * @cssproperty --digit-recognizer-aspect-ratio - Shape of the drawing area (2 / 1; 1 / 1 when `multiple="false"`).
 */
export class DigitRecognizer extends LitElement {
  static override styles = styles;
  static formAssociated = true;

  static override properties = {
    endpoint: { type: String },
    modelUrl: { type: String, attribute: 'model-url' },
    mode: { type: String, reflect: true },
    multiple: { converter: onUnlessFalse, reflect: true },
    strokeWidth: { type: Number, attribute: 'stroke-width' },
    autoPredict: { type: Number, attribute: 'auto-predict' },
    confidenceThreshold: { type: Number, attribute: 'confidence-threshold' },
    timeout: { type: Number },
    apiKey: { type: String, attribute: 'api-key' },
    name: { type: String, reflect: true },
    required: { type: Boolean, reflect: true },
    label: { type: String },
    hideInstructions: { type: Boolean, attribute: 'hide-instructions', reflect: true },
    _hasInk: { state: true },
    _image: { state: true },
    _shown: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  /** URL of the prediction API, used when reading on the device is not possible or `mode="remote"`. Default: `./predict` next to the script. */
  declare endpoint: string;
  /** URL of the tfjs model.json. Default: `./model/model.json` next to the script. */
  declare modelUrl: string;
  /** `auto`: on the device when WebGL works, else the server. `local`: device only. `remote`: server only. */
  declare mode: RecognizerMode;
  /** Read a whole number (true, default) or exactly one digit (`multiple="false"`). */
  declare multiple: boolean;
  /** Ink width in CSS pixels for new strokes. */
  declare strokeWidth: number;
  /** Milliseconds after the last stroke before the drawing is read; 0 turns automatic reading off (uploads then wait for Predict too). */
  declare autoPredict: number;
  /** Digits whose probability is below this are marked "not sure" (0..1, default CONFIDENCE_THRESHOLD, 0.7). */
  declare confidenceThreshold: number;
  /** Milliseconds before a server request or a model download is given up. */
  declare timeout: number;
  /** Sent to the server as `Authorization: Bearer <api-key>` when set. */
  declare apiKey: string;
  /** Form field name: the recognized digits are submitted under it. */
  declare name: string;
  /** In a form, the field is invalid until digits were recognized. */
  declare required: boolean;
  /** Accessible name of the drawing area. */
  declare label: string;
  /** Hides the usage instructions. */
  declare hideInstructions: boolean;

  declare private _hasInk: boolean;
  declare private _image: DecodedImage | undefined;
  declare private _shown: Shown | undefined;
  declare private _error: RecognizerError | undefined;
  declare private _busy: string | undefined;

  private readonly internals: ElementInternals;
  private readonly engine = new Engine();
  /** Where images are prepared: a Web Worker, started at the first stroke or image. */
  private readonly preparation = new PreparationThread();
  private readonly fileDrop = new FileDropController(this, (files) => void this.acceptFiles(files));
  private pad: DrawingPad | undefined;
  private painter: StagePainter | undefined;
  private autoTimer: ReturnType<typeof setTimeout> | undefined;
  private running: AbortController | undefined;

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.endpoint = besideScript('./predict');
    this.modelUrl = besideScript('./model/model.json');
    this.mode = 'auto';
    this.multiple = true;
    this.strokeWidth = 16;
    this.autoPredict = 800;
    this.confidenceThreshold = CONFIDENCE_THRESHOLD;
    this.timeout = 15_000;
    this.apiKey = '';
    this.name = '';
    this.required = false;
    this.label = 'Drawing area';
    this.hideInstructions = false;
    this._hasInk = false;
  }

  /** The recognized digits ("4096"), or "" when nothing is recognized. Submitted with forms under `name`. */
  get value(): string {
    return this._shown?.detail.digits ?? '';
  }

  /** The last result shown, or undefined. */
  get result(): DigitRecognizedDetail | undefined {
    return this._shown?.detail;
  }

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /**
   * Reads the current drawing or image and shows the result. Resolves with the same detail the
   * `digit-recognized` event carries, rejects with a RecognizerError (also shown in the element),
   * or with an AbortError when a newer recognition replaced this one. Fires no event.
   */
  recognize(): Promise<DigitRecognizedDetail> {
    return this.run(false);
  }

  /** Removes the drawing, the image, the result and any error. Fires no event. */
  clear(): void {
    this.cancel();
    this.pad?.clear();
    this._hasInk = false;
    this._image = undefined;
    this._shown = undefined;
    this._error = undefined;
    this.paintStage();
  }

  /** Removes the last stroke. Returns false when there was none. Fires no event. */
  undo(): boolean {
    if (!this.pad?.undo()) return false;
    this.inputChanged();
    this._hasInk = !this.pad.isEmpty;
    return true;
  }

  /**
   * Shows an image (PNG, JPEG, WebP, GIF or BMP) in the drawing area in place of the drawing;
   * call `recognize()` to read it. Rejects with a RecognizerError (also shown) when the file is not
   * a readable image, and then changes nothing. Fires no event.
   */
  async loadImage(blob: Blob): Promise<void> {
    await this.showImage(blob);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.pad) {
      this.pad.connect();
      this.painter?.observe(this.repaint);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancel();
    this.preparation.dispose();
    this.pad?.disconnect();
    this.painter?.unobserve();
  }

  /** Resetting the form clears the element. */
  formResetCallback(): void {
    this.clear();
  }

  protected override firstUpdated(): void {
    const ink = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.ink')!;
    const overlay = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.overlay')!;
    this.painter = new StagePainter({ host: this, stage: this.stage, ink, overlay });
    this.pad = new DrawingPad(ink, {
      strokeWidth: () => Math.max(1, finite(this.strokeWidth, 16)),
      canDraw: () => !this._image,
      onStrokeStart: () => {
        clearTimeout(this.autoTimer);
        this.stage.focus({ preventScroll: true });
        this.preload();
        this.inputChanged();
      },
      onStrokeEnd: () => {
        this._hasInk = true;
        if (this.autoPredict > 0) this.autoTimer = setTimeout(() => this.runFromUser(), this.autoPredict);
        // (NaN > 0 is false: a bad auto-predict value turns automatic reading off.)
      },
    });
    this.pad.connect();
    this.painter.observe(this.repaint);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_shown')) {
      if (this._shown) paintModelInputs(this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.segment-input'), this._shown.inputs);
      this.paintBoxes();
    }
    if (changed.has('_shown') || changed.has('required')) this.syncFormValue();
  }

  override render() {
    const hasInput = this._hasInk || !!this._image;
    const auto = this.autoPredict > 0;
    return html`<div part="base" class="base">
      <div part="instructions" class="instructions" id="instructions" ?hidden=${this.hideInstructions}>
        <slot name="instructions">
          <p class="instructions">
            Draw ${this.multiple ? 'a number' : 'one digit'} with your mouse, finger or pen, or upload, drop or paste a picture of one.
            ${auto ? 'It is read when you stop drawing, or press Predict.' : 'Then press Predict.'}
            In the drawing area, Enter reads, Ctrl+Z undoes and Delete clears.
          </p>
        </slot>
      </div>
      <div
        part="stage"
        class="stage ${this._image ? 'image' : ''} ${this.fileDrop.dragging ? 'dragging' : ''}"
        role="application"
        aria-roledescription="drawing area"
        aria-label=${this.label}
        aria-describedby="instructions"
        tabindex="0"
        @keydown=${this.onStageKeydown}
      >
        <canvas part="canvas" class="ink"></canvas>
        <canvas class="overlay" aria-hidden="true"></canvas>
        ${hasInput ? nothing : html`<span class="placeholder" aria-hidden="true">${this.multiple ? 'Draw a number here' : 'Draw a digit here'}</span>`}
      </div>
      <div part="controls" class="controls">
        <button part="button predict-button" class="primary predict" type="button" ?disabled=${!hasInput} @click=${this.runFromUser}>Predict</button>
        <button part="button undo-button" class="undo" type="button" ?disabled=${!this._hasInk || !!this._image} @click=${this.onUndoClick}>Undo</button>
        <button part="button clear-button" class="clear" type="button" ?disabled=${!hasInput && !this._shown && !this._error} @click=${this.onClearClick}>Clear</button>
        <button part="button upload-button" class="upload" type="button" @click=${this.onUploadClick}>Upload image</button>
        <input class="file" type="file" accept=${ACCEPT} hidden aria-label="Image of a handwritten number" @change=${this.onFileChange} />
      </div>
      <div part="status" class="status" role="status">
        ${this._busy ? html`<span class="busy">${this._busy}</span>` : this._shown ? html`<span class="visually-hidden">${summarize(this._shown.detail)}</span>` : nothing}
      </div>
      ${this._error
        ? html`<div part="error" class="error" role="alert">
            <p>${this._error.message}</p>
            ${this._error.retryable ? html`<button part="button retry-button" class="retry" type="button" @click=${this.runFromUser}>Retry</button>` : nothing}
          </div>`
        : nothing}
      ${this._shown ? resultTemplate(this._shown.detail, this._shown.fallbackReason) : nothing}
    </div>`;
  }

  private get stage(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('.stage')!;
  }

  /**
   * Fires one of the element's events, typed by DigitRecognizerEventMap, as Shoelace's `emit()`
   * does: every event bubbles and is composed. Called on user actions only.
   */
  private emit<K extends keyof DigitRecognizerEventMap>(name: K, detail: DigitRecognizerEventMap[K]): CustomEvent<DigitRecognizerEventMap[K]> {
    const event = new CustomEvent(name, { detail, bubbles: true, composed: true });
    this.dispatchEvent(event);
    return event;
  }

  private engineConfig(): EngineConfig {
    return { mode: this.mode, modelUrl: this.modelUrl, endpoint: this.endpoint, apiKey: this.apiKey || undefined, timeoutMs: Math.max(1, finite(this.timeout, 15_000)) };
  }

  private readingOptions(): ReadingOptions {
    return { multiple: this.multiple, drawing: !this._image, confidenceThreshold: finite(this.confidenceThreshold, CONFIDENCE_THRESHOLD) };
  }

  /** Someone is about to need a reading: the worker and the model start loading now, while they draw. */
  private preload(): void {
    this.preparation.warmUp();
    this.engine.preload(this.engineConfig());
  }

  /** The drawing or the image changed: a result for the old one would be wrong, so it goes. */
  private inputChanged(): void {
    this.cancel();
    this._shown = undefined;
    this._error = undefined;
    this.paintBoxes();
  }

  private cancel(): void {
    clearTimeout(this.autoTimer);
    this.running?.abort();
    this.running = undefined;
    this._busy = undefined;
  }

  private currentImage(): { image: PixelImage; placement: Placement } | undefined {
    if (this._image) {
      const image = pixelsOf(this._image);
      return { image, placement: { kind: 'image', width: image.width, height: image.height } };
    }
    if (!this.pad || this.pad.isEmpty) return undefined;
    const { width, height } = this.stage.getBoundingClientRect();
    const drawing = strokesToImage(this.pad.strokes, width > 0 ? height / width : 0.5);
    return drawing && { image: drawing.image, placement: { kind: 'drawing', left: drawing.left, top: drawing.top, pixel: drawing.pixel } };
  }

  private runFromUser = (): void => {
    this.run(true).catch(() => {
      // Shown in the element and sent as digit-error; an AbortError means a newer run replaced it.
    });
  };

  private async run(fromUser: boolean): Promise<DigitRecognizedDetail> {
    this.cancel();
    const controller = new AbortController();
    this.running = controller;
    this._error = undefined;
    const startedAt = performance.now();
    try {
      const current = this.currentImage();
      const reading = await read(current?.image, this.readingOptions(), {
        engine: this.engine,
        config: this.engineConfig(),
        signal: controller.signal,
        preparer: this.preparation,
        startedAt,
        onBusy: (message) => (this._busy = message),
      });
      this._shown = { ...reading, placement: current?.placement };
      if (fromUser) this.emit('digit-recognized', reading.detail);
      return reading.detail;
    } catch (error) {
      if (controller.signal.aborted) throw error;
      const failure =
        error instanceof RecognizerError
          ? error
          : new RecognizerError('internal', `Something went wrong while reading the digits: ${error instanceof Error ? error.message : String(error)}`, true, { cause: error });
      this._error = failure;
      if (fromUser) this.emit('digit-error', failure.toDetail());
      throw failure;
    } finally {
      if (this.running === controller) {
        this.running = undefined;
        this._busy = undefined;
      }
    }
  }

  private async showImage(file: Blob): Promise<void> {
    let decoded: DecodedImage;
    try {
      decoded = await decodeImageFile(file);
    } catch (error) {
      // A bad file changes nothing but the message.
      this._error = error instanceof RecognizerError ? error : new RecognizerError('unreadable-image', 'The file could not be read as an image.', false, { cause: error });
      throw this._error;
    }
    this.inputChanged();
    this.pad?.clear();
    this._hasInk = false;
    this._image = decoded;
    this.preload();
    this.paintStage();
  }

  private async acceptFiles(files: FileList | null | undefined): Promise<void> {
    const file = files?.[0];
    if (!file) return;
    try {
      await this.showImage(file);
    } catch (error) {
      if (error instanceof RecognizerError) this.emit('digit-error', error.toDetail());
      return;
    }
    if (this.autoPredict > 0) this.runFromUser();
  }

  private onUploadClick = (): void => {
    this.renderRoot.querySelector<HTMLInputElement>('input.file')!.click();
  };

  private onFileChange = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    await this.acceptFiles(input.files);
    // Choosing the same file again must fire change again.
    input.value = '';
  };

  private onUndoClick = (): void => {
    this.undo();
  };

  private onClearClick = (): void => {
    this.clear();
    this.emit('digit-clear', {});
  };

  private onStageKeydown = (event: KeyboardEvent): void => {
    if (event.target !== this.stage) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (this._hasInk || this._image) this.runFromUser();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.onClearClick();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      this.undo();
    }
  };

  /** After the canvases were resized (which clears them). */
  private repaint = (): void => {
    this.paintStage();
    this.paintBoxes();
  };

  /** The drawing, or the uploaded image in its place. */
  private paintStage(): void {
    if (!this.pad) return;
    if (this._image) this.painter?.paintImage(this._image.canvas);
    else this.pad.redraw();
  }

  private paintBoxes(): void {
    this.painter?.paintBoxes(this._shown?.placement, this._shown ? digitSegments(this._shown.detail) : []);
  }

  private syncFormValue(): void {
    const value = this.value;
    this.internals.setFormValue(value || null);
    if (this.required && !value) {
      this.internals.setValidity({ valueMissing: true }, 'Draw or upload a number and let it be recognized.', this.stage);
    } else {
      this.internals.setValidity({});
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'digit-recognizer': DigitRecognizer;
  }
}
