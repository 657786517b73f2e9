/**
 * Reads and writes tfjs layers models as model.json + one weights file, in Node.
 * Writing can quantize float32 weights to float16 (half the bytes; tfjs dequantizes on load).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Quantization = 'none' | 'float16';

/** IEEE 754 half from a float32, round to nearest even (what tfjs' float16 decoder reads back). */
export function float32ToFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00 | (((bits >>> 23) & 0xff) === 0xff && mantissa ? 0x200 : 0); // overflow/inf/nan
  if (exponent <= 0) {
    if (exponent < -10) return sign; // underflow to zero
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (rest > halfway || (rest === halfway && half & 1) ? 1 : 0));
  }
  const half = sign | (exponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0);
}

function quantizeWeights(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer, quantization: Quantization) {
  if (quantization === 'none') return { specs, data };
  const input = new Float32Array(data);
  const output = new Uint16Array(input.length);
  for (let i = 0; i < input.length; i++) output[i] = float32ToFloat16Bits(input[i]!);
  for (const spec of specs) if (spec.dtype !== 'float32') throw new Error(`cannot quantize ${spec.name}: ${spec.dtype}`);
  return {
    specs: specs.map((spec) => ({ ...spec, quantization: { dtype: 'float16' as const } })),
    data: output.buffer,
  };
}

export interface SaveOptions {
  quantization?: Quantization;
  /** Extra fields recorded in model.json under `userDefinedMetadata`. */
  metadata?: Record<string, unknown>;
}

/** Saves to `<dir>/model.json` and `<dir>/weights.bin`; returns the weight file's size in bytes. */
export async function saveModel(model: tfl.LayersModel, dir: string, options: SaveOptions = {}): Promise<number> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const joined = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const { specs, data } = quantizeWeights(artifacts.weightSpecs!, joined, options.quantization ?? 'none');
      bytes = data.byteLength;
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
        userDefinedMetadata: options.metadata ?? {},
      };
      await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(data));
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return bytes;
}

/** Loads `<dir>/model.json` and its weight files from disk. */
export async function loadModelFromDir(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: tf.io.WeightsManifestConfig;
    userDefinedMetadata?: Record<string, unknown>;
  };
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((group) => group.paths.map((p) => readFile(path.join(dir, p)))));
  const weightData = tf.io.concatenateArrayBuffers(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

export async function readModelMetadata(dir: string): Promise<Record<string, unknown>> {
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as { userDefinedMetadata?: Record<string, unknown> };
  return json.userDefinedMetadata ?? {};
}
