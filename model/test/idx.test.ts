import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { IdxFormatError, parseIdx, sliceDigitSet, toDigitSet } from '../training/data/idx.js';
import { loadIdxPair, readIdxFile } from '../training/data/mnist.js';

function idx(shape: number[], values: number[] | Uint8Array, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((n, i) => view.setUint32(4 + 4 * i, n));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(values, header.length);
  return out;
}

describe('parseIdx', () => {
  it('reads shape and data of a valid file', () => {
    const parsed = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]));
    expect(parsed.shape).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('rejects a bad magic number', () => {
    const bytes = idx([1], [1]);
    bytes[0] = 0x1f;
    expect(() => parseIdx(bytes, 'x.idx')).toThrow(/bad magic number/);
  });
  it('rejects unsupported element types and ranks', () => {
    expect(() => parseIdx(idx([1], [1], 0x0d))).toThrow(/element type 0xd/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/rank 0/);
  });
  it('rejects truncated headers and data', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(IdxFormatError);
    expect(() => parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 9))).toThrow(/truncated header/);
    expect(() => parseIdx(idx([2, 3], [1, 2, 3]))).toThrow(/truncated data: header declares 2x3 = 6 values, file holds 3/);
  });
  it('rejects trailing bytes', () => {
    expect(() => parseIdx(idx([2], [1, 2, 3]))).toThrow(/1 unexpected bytes/);
  });
});

describe('toDigitSet', () => {
  const images = parseIdx(idx([2, 28, 28], new Uint8Array(2 * 784)));
  it('pairs images with labels', () => {
    const set = toDigitSet(images, parseIdx(idx([2], [3, 9])));
    expect(set.count).toBe(2);
    expect(sliceDigitSet(set, 1, 2).labels[0]).toBe(9);
  });
  it('rejects counts that disagree, wrong shapes and labels that are not digits', () => {
    expect(() => toDigitSet(images, parseIdx(idx([3], [1, 2, 3])))).toThrow(/2 images but 3 labels/);
    expect(() => toDigitSet(parseIdx(idx([1, 2, 2], [0, 0, 0, 0])), parseIdx(idx([1], [1])))).toThrow(/expected Nx28x28/);
    expect(() => toDigitSet(images, parseIdx(idx([2], [1, 12])))).toThrow(/label 12 is not a digit/);
  });
});

describe('reading IDX files', () => {
  it('reads gzip and raw files and pairs them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'idx-'));
    await writeFile(path.join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([1, 28, 28], new Uint8Array(784).fill(7))));
    await writeFile(path.join(dir, 't10k-labels-idx1-ubyte'), idx([1], [4]));
    const set = await loadIdxPair(dir, 't10k');
    expect(set.count).toBe(1);
    expect(set.labels[0]).toBe(4);
    expect(set.images[100]).toBe(7);
  });
  it('explains a missing file and corrupt gzip', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'idx-'));
    await expect(loadIdxPair(dir, 'train')).rejects.toThrow(/train-images-idx3-ubyte\(\.gz\) not found/);
    await writeFile(path.join(dir, 'broken.gz'), new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    await expect(readIdxFile(path.join(dir, 'broken.gz'))).rejects.toThrow(/corrupt gzip/);
  });
});
