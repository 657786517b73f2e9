/**
 * Painting the stage: an uploaded image on the ink canvas, a box around each digit found on the
 * overlay, each digit's 28x28 model input, and both stage canvases kept at device resolution.
 * Knows nothing about pointer input (drawing-pad.ts) or recognition (reading.ts).
 */
import { DIGIT_SIDE, type DigitSegment } from '../../model/core/index.js';

/** Where the recognized image lies in the stage, to draw the digits' boxes over it. */
export type Placement =
  /** The exported part of the drawing, in pad widths (see strokesToImage). */
  | { kind: 'drawing'; left: number; top: number; pixel: number }
  /** An uploaded image, shown whole and centred (contain). */
  | { kind: 'image'; width: number; height: number };

export interface StageCanvases {
  /** The element: the boxes' colours are its custom properties. */
  host: HTMLElement;
  /** The drawing area, whose CSS width sets the boxes' line width. */
  stage: HTMLElement;
  /** The canvas with the ink or the image. */
  ink: HTMLCanvasElement;
  /** The canvas above it, with the boxes. */
  overlay: HTMLCanvasElement;
}

/**
 * A canvas's size in device pixels from its ResizeObserver entry. The device-pixel box gives exact
 * backing-store sizes (sharp lines at any zoom or DPR), but DevTools' DPR emulation does not update
 * it: it is trusted only when it agrees with devicePixelRatio.
 */
export function devicePixelSize(entry: ResizeObserverEntry): { width: number; height: number } {
  const css = entry.contentRect;
  const device = entry.devicePixelContentBoxSize?.[0];
  const exact = device && Math.abs(device.inlineSize - css.width * devicePixelRatio) <= 1 ? device : undefined;
  return {
    width: exact ? exact.inlineSize : Math.round(css.width * devicePixelRatio),
    height: exact ? exact.blockSize : Math.round(css.height * devicePixelRatio),
  };
}

/** Observes `canvas` in device pixels where the browser can (sharp at any zoom), else in CSS pixels. */
export function observeDevicePixels(observer: ResizeObserver, canvas: HTMLCanvasElement): void {
  try {
    observer.observe(canvas, { box: 'device-pixel-content-box' });
  } catch {
    observer.observe(canvas);
  }
}

export class StagePainter {
  private resizeObserver: ResizeObserver | undefined;

  constructor(private readonly canvases: StageCanvases) {}

  /**
   * Keeps both canvases' backing stores at the stage's size in device pixels, calling `onResize`
   * to repaint after each change (setting a canvas's size clears it).
   */
  observe(onResize: () => void): void {
    const { ink, overlay } = this.canvases;
    this.resizeObserver ??= new ResizeObserver((entries) => {
      const entry = entries[0];
      if (!entry) return;
      const { width, height } = devicePixelSize(entry);
      for (const canvas of [ink, overlay]) {
        if (canvas.width !== width || canvas.height !== height) {
          canvas.width = width;
          canvas.height = height;
        }
      }
      onResize();
    });
    observeDevicePixels(this.resizeObserver, ink);
  }

  unobserve(): void {
    this.resizeObserver?.disconnect();
  }

  /** Shows an image whole and centred on the ink canvas, in place of the drawing. */
  paintImage(source: HTMLCanvasElement): void {
    const { ink } = this.canvases;
    const ctx = ink.getContext('2d')!;
    ctx.clearRect(0, 0, ink.width, ink.height);
    const { x, y, scale } = this.imageRect({ kind: 'image', width: source.width, height: source.height });
    ctx.drawImage(source, x, y, source.width * scale, source.height * scale);
  }

  /** Outlines each digit found (none when `segments` is empty); "not sure" ones dashed in the warning colour. */
  paintBoxes(placement: Placement | undefined, segments: readonly DigitSegment[]): void {
    const { host, stage, overlay } = this.canvases;
    const ctx = overlay.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    if (!placement || segments.length === 0) return;
    const style = getComputedStyle(host);
    const { x, y, scale } = this.imageRect(placement);
    const px = overlay.width / Math.max(1, stage.clientWidth);
    ctx.lineWidth = 2 * px;
    for (const segment of segments) {
      const { box } = segment;
      ctx.strokeStyle =
        style.getPropertyValue(segment.uncertain ? '--digit-recognizer-warning' : '--digit-recognizer-accent').trim() || '#0a58ca';
      ctx.setLineDash(segment.uncertain ? [6 * px, 4 * px] : []);
      const pad = 4 * px;
      ctx.strokeRect(x + box.x * scale - pad, y + box.y * scale - pad, box.width * scale + 2 * pad, box.height * scale + 2 * pad);
    }
  }

  /** Where an image lies on the stage canvases, in device pixels: its top-left corner and pixel size. */
  private imageRect(placement: Placement): { x: number; y: number; scale: number } {
    const { ink } = this.canvases;
    if (placement.kind === 'drawing') {
      // Pad widths to device pixels.
      const unit = ink.width;
      return { x: placement.left * unit, y: placement.top * unit, scale: placement.pixel * unit };
    }
    if (placement.width === 0 || placement.height === 0) return { x: 0, y: 0, scale: 1 };
    const scale = Math.min(ink.width / placement.width, ink.height / placement.height);
    return { x: (ink.width - placement.width * scale) / 2, y: (ink.height - placement.height * scale) / 2, scale };
  }
}

/**
 * Paints each digit's 28x28 model input, white ink on black, exactly as the model sees it, into
 * the result's canvases (`data-index` says which digit each one shows).
 */
export function paintModelInputs(canvases: Iterable<HTMLCanvasElement>, inputs: readonly Float32Array[]): void {
  for (const canvas of canvases) {
    const input = inputs[Number(canvas.dataset.index)];
    const ctx = canvas.getContext('2d');
    if (!input || !ctx) continue;
    const pixels = ctx.createImageData(DIGIT_SIDE, DIGIT_SIDE);
    for (let i = 0; i < input.length; i++) {
      const v = Math.round(input[i]! * 255);
      pixels.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(pixels, 0, 0);
  }
}
