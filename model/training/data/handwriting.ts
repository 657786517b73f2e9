/**
 * Readers for the other writers' data in ../shared/handwriting (see its README; never committed):
 *   - strokes.json: single digits written on tablets and phones, as pen trajectories, with the
 *     writer and the dataset they come from;
 *   - usps/zip.train.gz: the USPS envelope scans, 16x16 grey, label then 256 values from -1 (paper)
 *     to 1 (ink) per line.
 * Both throw errors that name the file and the place that is wrong.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One digit as its writer drew it: strokes of [x, y] points in the dataset's own units, y down. */
export interface StrokeDigit {
  label: number;
  writer: string;
  dataset: string;
  strokes: [number, number][][];
}

/** USPS scans: `count` images of 16x16 bytes, 0 = paper .. 255 = ink. */
export interface UspsSet {
  count: number;
  side: 16;
  images: Uint8Array;
  labels: Uint8Array;
}

export const USPS_SIDE = 16;

function fail(file: string, where: string, what: string): never {
  throw new Error(`${file}: ${where}: ${what}`);
}

/** Validates the parsed contents of strokes.json. */
export function parseStrokeDigits(data: unknown, file = 'strokes.json'): StrokeDigit[] {
  if (!Array.isArray(data)) fail(file, 'top level', 'expected an array of digits');
  return data.map((entry: unknown, i): StrokeDigit => {
    const where = `digit ${i}`;
    if (typeof entry !== 'object' || entry === null) fail(file, where, 'expected an object');
    const { label, writer, dataset, strokes } = entry as Record<string, unknown>;
    if (typeof label !== 'string' || !/^[0-9]$/.test(label))
      fail(file, where, `label must be "0".."9", got ${JSON.stringify(label)?.slice(0, 20)}`);
    if (typeof writer !== 'string' || writer === '') fail(file, where, 'writer must be a non-empty string');
    if (typeof dataset !== 'string' || dataset === '') fail(file, where, 'dataset must be a non-empty string');
    if (!Array.isArray(strokes) || strokes.length === 0) fail(file, where, 'strokes must be a non-empty array');
    const parsed = strokes.map((stroke: unknown, s) => {
      if (!Array.isArray(stroke) || stroke.length === 0) fail(file, `${where} stroke ${s}`, 'expected a non-empty array of points');
      return stroke.map((point: unknown, p): [number, number] => {
        if (!Array.isArray(point) || point.length < 2 || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
          fail(file, `${where} stroke ${s} point ${p}`, 'expected [x, y] with finite numbers');
        }
        return [point[0] as number, point[1] as number];
      });
    });
    return { label: Number(label), writer, dataset, strokes: parsed };
  });
}

/** Parses the text of zip.train / zip.test. */
export function parseUsps(text: string, file = 'zip.train'): UspsSet {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const images = new Uint8Array(lines.length * USPS_SIDE * USPS_SIDE);
  const labels = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    const values = line.trim().split(/\s+/).map(Number);
    const where = `line ${i + 1}`;
    if (values.length !== 1 + USPS_SIDE * USPS_SIDE)
      fail(file, where, `expected a label and ${USPS_SIDE * USPS_SIDE} values, got ${values.length} fields`);
    const label = values[0]!;
    if (!Number.isInteger(label) || label < 0 || label > 9) fail(file, where, `label must be 0..9, got ${line.trim().split(/\s+/)[0]}`);
    labels[i] = label;
    for (let p = 0; p < USPS_SIDE * USPS_SIDE; p++) {
      const v = values[p + 1]!;
      if (!Number.isFinite(v) || v < -1.0001 || v > 1.0001) fail(file, where, `value ${p + 1} must be a number from -1 to 1`);
      images[i * USPS_SIDE * USPS_SIDE + p] = Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * 255);
    }
  });
  if (lines.length === 0) fail(file, 'contents', 'no digits');
  return { count: lines.length, side: USPS_SIDE, images, labels };
}

async function readMaybeGzip(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (error) {
      throw new Error(`${file}: corrupt gzip data (${(error as Error).message})`);
    }
  }
  return bytes;
}

export async function loadStrokeDigits(folder: string): Promise<StrokeDigit[]> {
  const file = path.join(folder, 'strokes.json');
  const text = (await readMaybeGzip(file)).toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  return parseStrokeDigits(data, file);
}

export async function loadUsps(folder: string, name = 'zip.train'): Promise<UspsSet> {
  const candidates = [path.join(folder, 'usps', `${name}.gz`), path.join(folder, 'usps', name)];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`USPS file ${name}(.gz) not found in ${path.join(folder, 'usps')}`);
  return parseUsps((await readMaybeGzip(file)).toString('utf8'), file);
}

/** The default folder: ../shared/handwriting beside the checkout, if present. */
export function defaultHandwritingFolder(): string | undefined {
  const candidate = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../shared/handwriting');
  return existsSync(candidate) ? candidate : undefined;
}
