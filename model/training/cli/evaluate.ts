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
    out: { type: 'string', default: path.join(root, 'model/REPORT.md') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run eval -- [--data DIR] [--model DIR] [--seed-model DIR] [--knn-k 3] [--knn-queries 10000] [--no-knn] [--photos 1000] [--numbers 300] [--out model/REPORT.md]`);
  process.exit(0);
}
const dataFolder = values.data ?? defaultDataFolder();
if (!dataFolder) throw new Error('no MNIST folder: pass --data DIR (../shared/mnist here)');
const started = Date.now();
await useBackend('wasm');
const split = await loadMnist(dataFolder);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

async function evaluateModel(model: tfl.LayersModel) {
  const test = predictClasses(model, split.test);
  const validation = predictClasses(model, split.validation);
  return { test, testAccuracy: accuracyOf(test, split.test.labels), validationAccuracy: accuracyOf(validation, split.validation.labels) };
}

const model = await loadModelFromDir(values.model);
const metadata = await readModelMetadata(values.model);
const shipped = await evaluateModel(model);
console.log(`shipped model: t10k ${pct(shipped.testAccuracy)}, validation ${pct(shipped.validationAccuracy)}`);
const matrix = confusionMatrix(split.test.labels, shipped.test);
const rows: string[] = [`| shipped edge CNN (\`model/artifacts\`) | ${pct(shipped.testAccuracy)} | ${pct(shipped.validationAccuracy)} | ${model.countParams().toLocaleString('en')} |`];

if (existsSync(path.join(values['seed-model'], 'model.json'))) {
  const seedModel = await loadModelFromDir(values['seed-model']);
  const seedMeta = await readModelMetadata(values['seed-model']);
  const seed = await evaluateModel(seedModel);
  console.log(`seed baseline: t10k ${pct(seed.testAccuracy)}`);
  rows.push(`| seed architecture (original project's Conv64-Conv32-Dense; \`${seedMeta.command ?? 'npm run train -- --arch seed'}\`) | ${pct(seed.testAccuracy)} | ${pct(seed.validationAccuracy)} | ${seedModel.countParams().toLocaleString('en')} |`);
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
  rows.push(`| k-nearest neighbours (k=${k}, raw pixels, L2, 50,000 training digits)${scope} | ${pct(knnTest)} | ${pct(knnValidation)} | (stores 39.2M pixels) |`);
}

// Real-world proxies: t10k digits as photos (dark ink, uneven light, noise, JPEG) and as whole numbers.
const classifier = new TfjsClassifier(model, nodeTfjs);
const digitAt = (set: DigitSet, i: number) => set.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
const random = createRandom(2024);
let photoCorrect = 0;
const photoCount = Number(values.photos);
for (let n = 0; n < photoCount; n++) {
  const i = Math.floor(random() * split.test.count);
  const photo = decodeImage(encodeJpeg(renderDigitPhoto(digitAt(split.test, i), { random, size: 300, noise: 10, blur: n % 2, lightGradient: 50 }), 70));
  if ((await recognize(photo, classifier)).digits === String(split.test.labels[i])) photoCorrect++;
}
let numbersExact = 0;
const numberCount = Number(values.numbers);
for (let n = 0; n < numberCount; n++) {
  const indices = [0, 1, 2, 3].map(() => Math.floor(random() * split.test.count));
  const image = renderNumber(indices.map((i) => digitAt(split.test, i)), { random });
  if ((await recognize(image, classifier)).digits === indices.map((i) => split.test.labels[i]).join('')) numbersExact++;
}
console.log(`photos: ${pct(photoCorrect / photoCount)}, 4-digit numbers exact: ${pct(numbersExact / numberCount)}`);

const weightsBytes = (await stat(path.join(values.model, 'weights.bin'))).size;
const reports = classReports(matrix);
const command = `npm run eval -- ${process.argv.slice(2).join(' ')}`.trim();
await writeFile(path.join(path.dirname(values.out), 'confusion.svg'), confusionSvg(matrix, `Shipped model on t10k: ${pct(accuracyFromMatrix(matrix))}`));
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

## The shipped model

- Architecture: ${model.name}: 5 conv blocks (3x3, batch norm, ReLU; 16-32-32-64-64 filters, two max-pools), dropout 0.3, dense softmax.${metadata.foldedBatchNorm ? ' Shipped in inference form: batch norm folded into each convolution\'s kernel and bias, ReLU fused into it, dropout removed (\`model/fold-batch-norm.ts\`; the same outputs up to float rounding, 9 layers instead of 20).' : ''}
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
