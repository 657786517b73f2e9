/**
 * Evaluation CLI.  npm run eval -- --data ../shared/mnist
 * Writes model/REPORT.md and model/confusion.svg: t10k and validation accuracy of the shipped model,
 * per-class precision/recall/F1, the confusion matrix, the seed-architecture baseline and KNN on the
 * same split, and accuracy on synthetic photos and numbers through the full preprocessing path.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tfl from '@tensorflow/tfjs-layers';
import { countMultiplyAdds } from '../architecture.js';
import { defaultDataFolder, loadMnist } from '../data/mnist.js';
import { knnPredict } from '../knn.js';
import { accuracyFromMatrix, classReports, confusionMatrix, confusionSvg } from '../metrics.js';
import { loadModelFromDir, readModelMetadata } from '../model-files.js';
import { DIGIT_PIXELS, recognize, TfjsClassifier } from '../../core/index.js';
import { nodeTfjs, useBackend } from '../tfjs-node.js';
import { accuracyOf, predictClasses } from '../train.js';
import { createRandom, decodeImage, encodeJpeg, renderDigitPhoto, renderNumber } from '../../testing/synthetic.js';
import { sliceDigitSet, type DigitSet } from '../data/idx.js';
import { defaultHandwritingFolder, loadStrokeDigits, loadUsps } from '../data/handwriting.js';
import { splitByWriter } from '../data/writers.js';
import { scoreDigitImages, scoreNumbers, scoreStrokeDigits } from '../evaluate.js';
import { heldOutWriters, padNumbers, paperNumbers, phonePhotos, uspsTenth } from '../../testing/reading-sets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    model: { type: 'string', default: path.join(root, 'model/artifacts') },
    'seed-model': { type: 'string', default: path.join(root, 'model/baselines/seed') },
    'knn-k': { type: 'string', default: '3' },
    'no-knn': { type: 'boolean', default: false },
    'knn-queries': { type: 'string', default: '10000' },
    photos: { type: 'string', default: '1000' },
    numbers: { type: 'string', default: '300' },
    handwriting: { type: 'string' },
    previous: { type: 'string', default: path.join(root, 'model/baselines/mnist-only') },
    'writer-numbers': { type: 'string', default: '200' },
    'paper-numbers': { type: 'string', default: '100' },
    'phone-photos': { type: 'string', default: '10' },
    out: { type: 'string', default: path.join(root, 'model/REPORT.md') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run eval -- [--data DIR] [--handwriting DIR] [--model DIR] [--previous DIR] [--seed-model DIR] [--knn-k 3] [--knn-queries 10000] [--no-knn]
         [--photos 1000] [--numbers 300] [--writer-numbers 200] [--paper-numbers 100] [--phone-photos 10] [--out model/REPORT.md]
  --handwriting DIR   other writers (default ../shared/handwriting when present): held-out writers and the USPS test tenth
  --previous DIR      the model to compare with beyond MNIST (default model/baselines/mnist-only, the MNIST-only model)`);
  process.exit(0);
}
const dataFolder = values.data ?? defaultDataFolder();
if (!dataFolder) throw new Error('no MNIST folder: pass --data DIR (../shared/mnist here)');
const started = Date.now();
await useBackend('wasm');
const split = await loadMnist(dataFolder);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function evaluateModel(model: tfl.LayersModel) {
  // As the product reads one digit: the likeliest of the ten (an 11-output model's rejection aside).
  const test = predictClasses(model, split.test, 500, true);
  const validation = predictClasses(model, split.validation, 500, true);
  return { test, testAccuracy: accuracyOf(test, split.test.labels), validationAccuracy: accuracyOf(validation, split.validation.labels) };
}

const model = await loadModelFromDir(values.model);
/** The fields of model.json's userDefinedMetadata this report names (train.ts and the train CLI write them). */
interface TrainingMetadata {
  command?: string;
  seed?: number;
  epoch?: number;
  backend?: string;
  trainedAt?: string;
  validationAccuracy?: number;
  foldedBatchNorm?: boolean;
}
const metadata = (await readModelMetadata(values.model)) as TrainingMetadata;
const shipped = evaluateModel(model);
console.log(`shipped model: t10k ${pct(shipped.testAccuracy)}, validation ${pct(shipped.validationAccuracy)}`);
const matrix = confusionMatrix(split.test.labels, shipped.test);
const rows: string[] = [
  `| shipped edge CNN (\`model/artifacts\`) | ${pct(shipped.testAccuracy)} | ${pct(shipped.validationAccuracy)} | ${model.countParams().toLocaleString('en')} |`,
];

if (existsSync(path.join(values['seed-model'], 'model.json'))) {
  const seedModel = await loadModelFromDir(values['seed-model']);
  const seedMeta = (await readModelMetadata(values['seed-model'])) as TrainingMetadata;
  const seed = evaluateModel(seedModel);
  console.log(`seed baseline: t10k ${pct(seed.testAccuracy)}`);
  rows.push(
    `| seed architecture (original project's Conv64-Conv32-Dense; \`${seedMeta.command ?? 'npm run train -- --arch seed'}\`) | ${pct(seed.testAccuracy)} | ${pct(seed.validationAccuracy)} | ${seedModel.countParams().toLocaleString('en')} |`,
  );
} else {
  console.log(`no seed baseline at ${values['seed-model']} (train it with: npm run train -- --arch seed)`);
}

if (!values['no-knn']) {
  // KNN costs a DIGIT_PIXELS x 50,000 product per query (about 0.1 s each here): --knn-queries limits it to the
  // first N digits of each set, and the table says so.
  const k = Number(values['knn-k']);
  const n = Math.min(Number(values['knn-queries']), split.test.count);
  const test = sliceDigitSet(split.test, 0, n);
  const validation = sliceDigitSet(split.validation, 0, n);
  const knnTest = accuracyOf(knnPredict(split.train, test, k), test.labels);
  const knnValidation = accuracyOf(knnPredict(split.train, validation, k), validation.labels);
  console.log(`KNN k=${k}: t10k ${pct(knnTest)} (${n} digits)`);
  const scope = n < split.test.count ? ` (first ${n.toLocaleString('en')} digits of each set)` : '';
  rows.push(
    `| k-nearest neighbours (k=${k}, raw pixels, L2, 50,000 training digits)${scope} | ${pct(knnTest)} | ${pct(knnValidation)} | (stores 39.2M pixels) |`,
  );
}

// Real-world proxies: t10k digits as photos (dark ink, uneven light, noise, JPEG) and as whole numbers.
const classifier = new TfjsClassifier(model, nodeTfjs);
const digitAt = (set: DigitSet, i: number) => set.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
const random = createRandom(2024);
let photoCorrect = 0;
const photoCount = Number(values.photos);
for (let n = 0; n < photoCount; n++) {
  const i = Math.floor(random() * split.test.count);
  const photo = decodeImage(
    encodeJpeg(renderDigitPhoto(digitAt(split.test, i), { random, size: 300, noise: 10, blur: n % 2, lightGradient: 50 }), 70),
  );
  if ((await recognize(photo, classifier)).digits === String(split.test.labels[i])) photoCorrect++;
}
let numbersExact = 0;
const numberCount = Number(values.numbers);
for (let n = 0; n < numberCount; n++) {
  const indices = [0, 1, 2, 3].map(() => Math.floor(random() * split.test.count));
  const image = renderNumber(
    indices.map((i) => digitAt(split.test, i)),
    { random },
  );
  if ((await recognize(image, classifier)).digits === indices.map((i) => split.test.labels[i]).join('')) numbersExact++;
}
console.log(`photos: ${pct(photoCorrect / photoCount)}, 4-digit numbers exact: ${pct(numbersExact / numberCount)}`);

// Beyond MNIST: writers the model never saw, single digits and whole numbers, for this model and the previous one.
const handwritingFolder = values.handwriting ?? defaultHandwritingFolder();
let beyond = '';
if (handwritingFolder) {
  const [strokes, usps] = await Promise.all([loadStrokeDigits(handwritingFolder), loadUsps(handwritingFolder)]);
  const testWriters = splitByWriter(strokes).test;
  const writers = heldOutWriters(strokes, 'test');
  const writerCount = new Set(testWriters.map((s) => s.writer)).size;
  const previous = existsSync(path.join(values.previous, 'model.json'))
    ? new TfjsClassifier(await loadModelFromDir(values.previous), nodeTfjs)
    : undefined;
  const models = [{ name: 'shipped', classifier }, ...(previous ? [{ name: 'previous', classifier: previous }] : [])];
  const uspsCases = uspsTenth(usps);
  const sets = {
    writerNumbers: padNumbers(writers, Number(values['writer-numbers']), 101),
    formatted: padNumbers(writers, Number(values['writer-numbers']), 202, true),
    ruled: paperNumbers(writers, 'ruled', Number(values['paper-numbers']), 303),
    squared: paperNumbers(writers, 'squared', Number(values['paper-numbers']), 404),
    boxes: paperNumbers(writers, 'boxes', Number(values['paper-numbers']), 505),
    pattern: paperNumbers(writers, 'pattern', Number(values['paper-numbers']), 606),
  };
  const single: Record<
    string,
    { strokes: Awaited<ReturnType<typeof scoreStrokeDigits>>; usps: Awaited<ReturnType<typeof scoreDigitImages>> }
  > = {};
  const numbers: Record<string, Record<string, Awaited<ReturnType<typeof scoreNumbers>>>> = {};
  for (const { name, classifier: c } of models) {
    single[name] = { strokes: await scoreStrokeDigits(testWriters, c), usps: await scoreDigitImages(uspsCases, c) };
    numbers[name] = {};
    for (const [set, cases] of Object.entries(sets)) numbers[name][set] = await scoreNumbers(cases, c);
    // Phone photos are 12 MP: generated one at a time, not kept.
    const phones = { count: 0, digits: 0, text: 0, medianMs: 0, misses: [] as string[] };
    for (let n = 0; n < Number(values['phone-photos']); n++) {
      const photo = phonePhotos(writers, 1, 707 + n);
      const s = await scoreNumbers(photo, c);
      phones.count++;
      phones.digits += s.digits;
      phones.text += s.text;
      phones.misses.push(...s.misses);
    }
    numbers[name].phone = phones;
    console.log(
      `${name}: held-out writers ${pct(single[name].strokes.correct / single[name].strokes.count)}, USPS tenth ${pct(single[name].usps.correct / single[name].usps.count)}, writer numbers ${pct(numbers[name].writerNumbers!.digits / numbers[name].writerNumbers!.count)}`,
    );
  }
  const cell = (name: string, value: (m: string) => string) => (previous ? `${value('shipped')} | ${value(name)}` : value('shipped'));
  const both = (value: (m: string) => string) => cell('previous', value);
  const ratio = (a: number, b: number) => pct(b > 0 ? a / b : 0);
  const sw = (m: string) => single[m]!.strokes;
  const nm = (m: string, set: string) => numbers[m]![set]!;
  const combined = sw('shipped').confusion.map((row, d) => row.map((n, k) => n + single.shipped!.usps.confusion[d]![k]!));
  const header = previous ? '| shipped | previous (MNIST only) |' : '| shipped |';
  beyond = `## Beyond MNIST: writers the model never saw

Produced by the same command, with \`--handwriting ${path.relative(root, handwritingFolder)}\`. Held-out writers are split off by writer before training (\`model/training/data/writers.ts\`: a hash of the writer id; validation writers chose the model, test writers below were never used for training or choices). Every figure is the full path: the image or the pad drawing through the core's preparation and reader, not the model on a tensor.

### Single digits

| source | digits | writers | ${header.slice(2)}
| --- | --- | --- |${previous ? ' --- | --- |' : ' --- |'}
| real writers' pen strokes (UJI Pen Characters 2, DigiLeTs, Chars74K), drawn on the pad as the element exports it | ${sw('shipped').count} | ${writerCount} | ${both((m) => ratio(sw(m).correct, sw(m).count))} |
| of them: continental 1s (a flag or a base) | ${sw('shipped').continentalOnes.count} | | ${both((m) => ratio(sw(m).continentalOnes.correct, sw(m).continentalOnes.count))} |
| of them: 7s with a bar | ${sw('shipped').barredSevens.count} | | ${both((m) => ratio(sw(m).barredSevens.correct, sw(m).barredSevens.count))} |
| USPS envelope scans, the held-out tenth of zip.train, uploaded as 16x16 images | ${single.shipped!.usps.count} | (not given) | ${both((m) => ratio(single[m]!.usps.correct, single[m]!.usps.count))} |

Confusion on these two sets together, shipped model (rows: actual; columns: read; "other": no digit or more than one):

| | ${[...Array(10).keys()].join(' | ')} | other |
| --- |${' --- |'.repeat(11)}
${combined.map((row, i) => `| **${i}** | ${row.join(' | ')} |`).join('\n')}

### Whole numbers (held-out writers)

| set | numbers | ${previous ? 'digits exact, shipped | digits exact, previous (MNIST only)' : 'digits exact'} | text exact |
| --- | --- |${previous ? ' --- | --- |' : ' --- |'} --- |
| 2-10 digits drawn on the pad: one writer's digits with a common slant, varying gaps, overlapping in x and touching | ${nm('shipped', 'writerNumbers').count} | ${cell('previous', (m) => ratio(nm(m, 'writerNumbers').digits, nm(m, 'writerNumbers').count))} | ${ratio(nm('shipped', 'writerNumbers').text, nm('shipped', 'writerNumbers').count)} |
| with separators drawn with the same pen: amounts (19.133.-, 1.250,00), dates, times, phone numbers, decimals | ${nm('shipped', 'formatted').count} | ${cell('previous', (m) => ratio(nm(m, 'formatted').digits, nm(m, 'formatted').count))} | ${ratio(nm('shipped', 'formatted').text, nm('shipped', 'formatted').count)} |
| on ruled paper, photographed (640x320) | ${nm('shipped', 'ruled').count} | ${cell('previous', (m) => ratio(nm(m, 'ruled').digits, nm(m, 'ruled').count))} | ${ratio(nm('shipped', 'ruled').text, nm('shipped', 'ruled').count)} |
| on squared (maths) paper | ${nm('shipped', 'squared').count} | ${cell('previous', (m) => ratio(nm(m, 'squared').digits, nm(m, 'squared').count))} | ${ratio(nm('shipped', 'squared').text, nm('shipped', 'squared').count)} |
| one digit per printed box of a form (some boxes left empty) | ${nm('shipped', 'boxes').count} | ${cell('previous', (m) => ratio(nm(m, 'boxes').digits, nm(m, 'boxes').count))} | ${ratio(nm('shipped', 'boxes').text, nm('shipped', 'boxes').count)} |
| amounts and dates on a cheque-like security print | ${nm('shipped', 'pattern').count} | ${cell('previous', (m) => ratio(nm(m, 'pattern').digits, nm(m, 'pattern').count))} | ${ratio(nm('shipped', 'pattern').text, nm('shipped', 'pattern').count)} |
| 1-4 digits in a 4032x3024 phone photo, 10% of its height, ballpoint | ${nm('shipped', 'phone').count} | ${cell('previous', (m) => ratio(nm(m, 'phone').digits, nm(m, 'phone').count))} | ${ratio(nm('shipped', 'phone').text, nm('shipped', 'phone').count)} |

Typical misses of the shipped model: ${Object.values(numbers.shipped!)
    .flatMap((s) => s.misses.slice(0, 2))
    .map((m) => `\`${m}\``)
    .join(', ')}.
`;
}

const weightsBytes = (await stat(path.join(values.model, 'weights.bin'))).size;
const reports = classReports(matrix);
const command = `npm run eval -- ${process.argv.slice(2).join(' ')}`.trim();
await writeFile(
  path.join(path.dirname(values.out), 'confusion.svg'),
  confusionSvg(matrix, `Shipped model on t10k: ${pct(accuracyFromMatrix(matrix))}`),
);
const report = `# Model report

Produced by \`${command}\` on ${new Date().toISOString().slice(0, 10)} (${Math.round((Date.now() - started) / 1000)} s). Split: train = training images 10,000-59,999, validation = training images 0-9,999 (model selection only), test = t10k (reported, never tuned on).

## Accuracy

| model | t10k | validation | parameters |
| --- | --- | --- | --- |
${rows.join('\n')}

The original student project reported 98% on its test set.

## Beyond MNIST (full path: preprocessing, segmentation, model)

| input | result |
| --- | --- |
| ${photoCount} t10k digits rendered as 300x300 photos: dark ink on light paper, random size (30-80% of the height) and position, uneven light, noise, half blurred, JPEG quality 70 | ${pct(photoCorrect / photoCount)} read correctly |
| ${numberCount} 4-digit numbers built from t10k digits (touching to spaced) | ${pct(numbersExact / numberCount)} read exactly |

${beyond}
## The shipped model

- Architecture: ${model.name}: 5 conv blocks (3x3, batch norm, ReLU; 16-32-32-64-64 filters, two max-pools), dropout 0.3, dense softmax.${metadata.foldedBatchNorm ? " Shipped in inference form: batch norm folded into each convolution's kernel and bias, ReLU fused into it, dropout removed (\`model/fold-batch-norm.ts\`; the same outputs up to float rounding, 9 layers instead of 20)." : ''}
- ${model.countParams().toLocaleString('en')} parameters, ${(countMultiplyAdds(model) / 1e6).toFixed(2)}M multiply-adds (${((2 * countMultiplyAdds(model)) / 1e6).toFixed(1)} MFLOP) per digit, weights ${(weightsBytes / 1024).toFixed(0)} KB (float16).
- Trained by \`${metadata.command}\` (seed ${metadata.seed}), best validation accuracy ${pct(Number(metadata.validationAccuracy))} at epoch ${metadata.epoch}, backend ${metadata.backend}, finished ${metadata.trainedAt}. Training log: see TRAINING.md beside this file.

## Per class on t10k

| digit | precision | recall | F1 | support |
| --- | --- | --- | --- | --- |
${reports.map((r) => `| ${r.digit} | ${pct(r.precision)} | ${pct(r.recall)} | ${r.f1.toFixed(4)} | ${r.support} |`).join('\n')}

## Confusion matrix on t10k (rows: actual, columns: predicted)

![confusion matrix](confusion.svg)

| | ${[...Array(10).keys()].join(' | ')} |
| --- |${' --- |'.repeat(10)}
${matrix.map((row, i) => `| **${i}** | ${row.join(' | ')} |`).join('\n')}
`;
await writeFile(values.out, report);
console.log(`wrote ${values.out}`);
