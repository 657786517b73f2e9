/**
 * EXIF orientation applied to decoded RGBA, as browsers show a photo: for the JPEGs that MozJPEG
 * cannot decode (CMYK), which MozJPEG would otherwise have turned upright itself.
 */
import type { DecodedPixels } from './wasm-codec.js';

/** Where upright pixel (x, y) lies in the stored picture (width w, height h), for orientations 2-8. */
const SOURCE: Record<number, (x: number, y: number, w: number, h: number) => [number, number]> = {
  2: (x, y, w) => [w - 1 - x, y], // mirrored
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y], // turned half way
  4: (x, y, _w, h) => [x, h - 1 - y], // mirrored upside down
  5: (x, y) => [y, x], // mirrored along the diagonal
  6: (x, y, _w, h) => [y, h - 1 - x], // to be turned a quarter clockwise
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x], // mirrored along the other diagonal
  8: (x, y, w) => [w - 1 - y, x], // to be turned a quarter anticlockwise
};

export function applyOrientation(image: DecodedPixels, orientation: number): DecodedPixels {
  const source = SOURCE[orientation];
  if (!source) return image;
  const { width: w, height: h, data } = image;
  const sideways = orientation >= 5;
  const width = sideways ? h : w;
  const height = sideways ? w : h;
  const out = new Uint8ClampedArray(width * height * 4);
  const pixels = new Uint32Array(data.buffer, data.byteOffset, w * h);
  const turned = new Uint32Array(out.buffer);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x, y, w, h);
      turned[y * width + x] = pixels[sy * w + sx]!;
    }
  }
  return { width, height, data: out };
}
