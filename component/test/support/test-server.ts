/**
 * TEST SERVER ONLY, not the product's API (that is worker/, exercised by the end-to-end tests).
 *
 * A Vite plugin for the component's browser tests: it serves the shipped model to the page and
 * answers `POST /__test/predict` like the worker does for `{ pixels }` requests, with the same
 * recognition code (model/) running in Node on tfjs-backend-wasm. It also records requests, so a
 * test can check what the element sent, and has a route that never answers, for timeouts.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { useBackend } from '../../../model/training/tfjs-node.js';
import { type ErrorResponse, type PixelsRequest, type PredictResponse, readPrepared, TfjsClassifier } from '../../../model/core/index.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../model/artifacts');

interface ModelSnapshot {
  json: { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig; userDefinedMetadata?: Record<string, unknown> };
  jsonText: string;
  weights: Uint8Array;
}

/** Bytes a weights manifest says its files hold (float16-quantized entries take 2 bytes per value). */
function expectedBytes(manifest: tf.io.WeightsManifestConfig): number {
  return manifest
    .flatMap((group) => group.weights)
    .reduce(
      (sum, w) =>
        sum + w.shape.reduce((a, b) => a * b, 1) * (w.quantization?.dtype === 'float16' ? 2 : w.quantization?.dtype === 'uint8' ? 1 : 4),
      0,
    );
}

/**
 * One consistent copy of model.json + weights.bin: the training job may rewrite them while tests
 * run, so both files are read into memory once, and re-read if caught between the two writes.
 */
async function snapshot(): Promise<ModelSnapshot> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const jsonText = await readFile(path.join(ARTIFACTS, 'model.json'), 'utf8');
    const weights = await readFile(path.join(ARTIFACTS, 'weights.bin'));
    try {
      const json = JSON.parse(jsonText) as ModelSnapshot['json'];
      if (expectedBytes(json.weightsManifest) === weights.byteLength) return { json, jsonText, weights: new Uint8Array(weights) };
    } catch {
      // Half-written JSON: read again.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no consistent model in ${ARTIFACTS}: run the training (npm run train) first`);
}

let model: Promise<{ snap: ModelSnapshot; classifier: TfjsClassifier }> | undefined;

/** The shipped model on tfjs' WASM backend in Node, loaded once: the test server's, and the Node-side test helpers'. */
function loadModel(): Promise<{ snap: ModelSnapshot; classifier: TfjsClassifier }> {
  return (model ??= (async () => {
    // WASM, as the project's Node scripts use: the real-writer searches classify thousands of candidates.
    await useBackend('wasm');
    const snap = await snapshot();
    const classifier = await TfjsClassifier.fromArtifacts({ core: tf, layers: tfl }, snap.json, snap.weights.slice().buffer);
    return { snap, classifier };
  })());
}

export async function testClassifier(): Promise<TfjsClassifier> {
  return (await loadModel()).classifier;
}

export interface RecordedRequest {
  path: string;
  authorization: string | null;
  /** How many 28x28 digits the body held. */
  digits: number;
  /** Whether every digit had 784 numbers in [0,1]. */
  wellFormed: boolean;
  /** The request's reading options (confidenceThreshold, minDigits, maxDigits). */
  options: PixelsRequest['options'];
  /** Whether it sent a lattice of candidates, and with boxes of a form (`cells`). */
  lattice: boolean;
  cells: number;
  /** The lattice's pieces (a drawing's strokes) and the runs of pieces each candidate is; 0 and [] without one. */
  pieces: number;
  spans: [number, number][];
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } } satisfies ErrorResponse);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toDigits(body: PixelsRequest): Float32Array[] | undefined {
  const raw = body.pixels;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const rows = (typeof raw[0] === 'number' ? [raw] : raw) as unknown[];
  const digits: Float32Array[] = [];
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== 784 || !row.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) return undefined;
    digits.push(Float32Array.from(row as number[]));
  }
  return digits;
}

export function componentTestServer(): Plugin {
  const load = loadModel;
  const requests: RecordedRequest[] = [];

  return {
    name: 'digit-recognizer-component-test-server',
    configureServer(server) {
      server.middlewares.use(
        (req, res, next) =>
          void (async () => {
            const url = new URL(req.url ?? '/', 'http://localhost');
            if (!url.pathname.startsWith('/__test/')) return next();
            try {
              if (url.pathname === '/__test/model/model.json') return send(res, 200, (await load()).snap.jsonText);
              if (url.pathname === '/__test/model/weights.bin')
                return send(res, 200, (await load()).snap.weights, 'application/octet-stream');
              if (url.pathname === '/__test/requests') {
                if (req.method === 'DELETE') requests.length = 0;
                return send(res, 200, requests);
              }
              if (url.pathname === '/__test/never-answers') {
                // Holds the request open until the client gives up.
                req.on('close', () => res.end());
                return;
              }
              if (url.pathname === '/__test/predict' && req.method === 'POST') {
                const text = await readBody(req);
                let body: PixelsRequest;
                try {
                  body = JSON.parse(text) as PixelsRequest;
                } catch {
                  return fail(res, 400, 'bad-json', 'The body is not JSON.');
                }
                const digits = toDigits(body);
                requests.push({
                  path: url.pathname,
                  authorization: req.headers.authorization ?? null,
                  digits: digits?.length ?? 0,
                  wellFormed: !!digits,
                  options: body.options,
                  lattice: !!body.lattice,
                  cells: body.lattice?.cells?.length ?? 0,
                  pieces: body.lattice?.pieces ?? 0,
                  spans: body.lattice?.spans ?? [],
                });
                if (!digits) return fail(res, 400, 'bad-pixels', 'pixels must be 784 numbers in [0,1], or a list of such.');
                const { snap, classifier } = await load();
                // As the worker reads a PixelsRequest: the candidates' lattice and the reading options, as sent.
                const prepared = { inputs: digits, boxes: body.boxes ?? [], ...(body.lattice ? { lattice: body.lattice } : {}) };
                const result = readPrepared(prepared, await classifier.predict(digits), body.options ?? {});
                const stored = snap.json.userDefinedMetadata?.version;
                const version = typeof stored === 'string' || typeof stored === 'number' ? String(stored) : 'test';
                return send(res, 200, { ...result, model: { name: 'component-test-server', version } } satisfies PredictResponse);
              }
              return fail(res, 404, 'not-found', `no test route ${url.pathname}`);
            } catch (error) {
              return fail(res, 500, 'test-server', error instanceof Error ? error.message : String(error));
            }
          })(),
      );
    },
  };
}
