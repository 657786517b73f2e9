/**
 * Training CLI.  npm run train -- --data ../shared/mnist --handwriting ../shared/handwriting
 * Run with --help for every flag and its default.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DIGIT_CLASSES, TfjsClassifier } from '../../core/index.js';
import { ARCHITECTURES, type Architecture } from '../architecture.js';
import { defaultHandwritingFolder, loadStrokeDigits, loadUsps } from '../data/handwriting.js';
import { sliceDigitSet } from '../data/idx.js';
import { DEFAULT_MIXTURE, rejectValidation, strokeValidation, uspsValidation } from '../data/mixture.js';
import { threadedMixture } from '../data/mixture-thread.js';
import { defaultDataFolder, loadMnist } from '../data/mnist.js';
import { DEFAULT_WRITER_SPLIT, splitByWriter, splitUsps } from '../data/writers.js';
import { loadModelFromDir } from '../model-files.js';
import { nodeTfjs, useBackend, type NodeBackend } from '../tfjs-node.js';
import { heldOut, mnistSource, train, type HeldOutSet, type SampleSource } from '../train.js';

const DEFAULTS: Record<Architecture, { epochs: number; batchSize: number; learningRate: number }> = {
  edge: { epochs: 12, batchSize: 64, learningRate: 0.003 },
  'edge-wide': { epochs: 12, batchSize: 64, learningRate: 0.003 },
  seed: { epochs: 5, batchSize: 32, learningRate: 0.001 },
};

const HELP = `Usage: npm run train -- [flags]
  --data DIR            MNIST IDX folder (default: ../shared/mnist)
  --handwriting DIR     other writers: strokes.json and usps/ (default: ../shared/handwriting when present)
  --mnist-only          train on MNIST alone, ten classes (the previous model's recipe; default for seed)
  --arch edge|edge-wide|seed  edge = the shipped CNN; seed = the original project's network (default: edge)
  --epochs N            default: 12 (edge), 5 (seed)
  --batch-size N        default: 64 (edge), 32 (seed)
  --lr X                initial learning rate (Adam) (default: 0.003 edge, 0.001 seed)
  --schedule S          cosine|constant (default: cosine for edge, constant for seed)
  --min-lr-fraction X   final rate of the cosine schedule as a fraction of --lr (default: 0.02)
  --label-smoothing X   default: 0.1 (edge), 0 (seed)
  --ema X               decay per batch of the weights' moving average, 0 = off (default: 0.999 edge, 0 seed)
  --no-augment          train on the plain images (default for seed: no augmentation, as the original)
  --augment             force augmentation on
  --mnist-per-epoch N   MNIST digits per epoch, a new random subset each time (default: ${DEFAULT_MIXTURE.mnistPerEpoch})
  --stroke-renders N    drawings of each training writer's digit per epoch (default: ${DEFAULT_MIXTURE.strokeRenders})
  --rejects N           "not one digit" samples per epoch (default: ${DEFAULT_MIXTURE.rejects})
  --reference DIR       model that removes rejects looking like a digit (default: model/baselines/mnist-only)
  --seed N              random seed (default: 42)
  --limit N             use only the first N MNIST training images (pilot and smoke runs)
  --writer-limit N      use only the first N training writers' digits and USPS scans (pilot runs)
  --validation-limit N  use only the first N MNIST validation images
  --out DIR             where the best model goes (default: model/artifacts for edge, model/baselines/seed)
  --checkpoint-dir DIR  per-epoch checkpoint (default: model/checkpoints/<arch>)
  --resume              continue from the checkpoint
  --quantize none|float16  weight storage of the saved model (default: float16 for edge, none for seed)
  --backend wasm|cpu    default: wasm`;

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    handwriting: { type: 'string' },
    'mnist-only': { type: 'boolean', default: false },
    arch: { type: 'string', default: 'edge' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    schedule: { type: 'string' },
    'min-lr-fraction': { type: 'string', default: '0.02' },
    'label-smoothing': { type: 'string' },
    ema: { type: 'string' },
    augment: { type: 'boolean' },
    'no-augment': { type: 'boolean' },
    seed: { type: 'string', default: '42' },
    'stroke-renders': { type: 'string' },
    'mnist-per-epoch': { type: 'string' },
    rejects: { type: 'string' },
    reference: { type: 'string' },
    limit: { type: 'string' },
    'writer-limit': { type: 'string' },
    'validation-limit': { type: 'string' },
    out: { type: 'string' },
    'checkpoint-dir': { type: 'string' },
    resume: { type: 'boolean', default: false },
    quantize: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const architecture = values.arch as Architecture;
if (!ARCHITECTURES.includes(architecture)) throw new Error(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
const defaults = DEFAULTS[architecture];
const number = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got ${value}`);
  return parsed;
};
const dataFolder = values.data ?? defaultDataFolder();
if (!dataFolder) throw new Error('no MNIST folder: pass --data DIR (the IDX files; ../shared/mnist here)');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const isSeed = architecture === 'seed';
const mnistOnly = values['mnist-only'] || isSeed;
const handwritingFolder = mnistOnly ? undefined : (values.handwriting ?? defaultHandwritingFolder());
if (!mnistOnly && !handwritingFolder)
  throw new Error('no handwriting folder: pass --handwriting DIR (../shared/handwriting here), or --mnist-only');
const seed = number(values.seed, 42, 'seed');
const augment = values.augment ?? (values['no-augment'] ? false : !isSeed);

const backend = await useBackend(values.backend as NodeBackend);
const split = await loadMnist(dataFolder);
const mnistTrain = values.limit ? sliceDigitSet(split.train, 0, number(values.limit, 0, 'limit')) : split.train;
const mnistValidation = values['validation-limit']
  ? sliceDigitSet(split.validation, 0, number(values['validation-limit'], 0, 'validation-limit'))
  : split.validation;

let source: SampleSource;
let threaded: ReturnType<typeof threadedMixture> | undefined;
const validation: HeldOutSet[] = [heldOut('mnist', mnistValidation)];
const dataNotes: Record<string, unknown> = { mnistTrain: mnistTrain.count };
if (handwritingFolder) {
  const [strokes, usps] = await Promise.all([loadStrokeDigits(handwritingFolder), loadUsps(handwritingFolder)]);
  const writers = splitByWriter(strokes, DEFAULT_WRITER_SPLIT);
  const uspsParts = splitUsps(usps.count);
  const writerLimit = values['writer-limit'] ? number(values['writer-limit'], 0, 'writer-limit') : Infinity;
  const trainStrokes = writers.train.slice(0, writerLimit);
  const trainUsps = uspsParts.train.slice(0, writerLimit);
  // Look-alike rejects (the stem of a 4 is a fine 1) are dropped by the MNIST-only model.
  const referenceDir = values.reference ?? path.join(root, 'model/baselines/mnist-only');
  const hasReference = existsSync(path.join(referenceDir, 'model.json'));
  const reference = hasReference ? new TfjsClassifier(await loadModelFromDir(referenceDir), nodeTfjs) : undefined;
  const referenceModel = reference ? (inputs: Float32Array[]) => reference.predict(inputs) : undefined;
  // Epochs are drawn on a second thread, one ahead of training.
  threaded = threadedMixture({
    dataFolder,
    handwritingFolder,
    ...(values.limit ? { mnistLimit: number(values.limit, 0, 'limit') } : {}),
    ...(Number.isFinite(writerLimit) ? { writerLimit } : {}),
    ...(hasReference ? { referenceDir } : {}),
    options: {
      ...DEFAULT_MIXTURE,
      augment,
      seed,
      mnistPerEpoch: number(values['mnist-per-epoch'], DEFAULT_MIXTURE.mnistPerEpoch, 'mnist-per-epoch'),
      strokeRenders: number(values['stroke-renders'], DEFAULT_MIXTURE.strokeRenders, 'stroke-renders'),
      rejects: number(values.rejects, DEFAULT_MIXTURE.rejects, 'rejects'),
    },
  });
  source = threaded;
  validation.push(strokeValidation('held-out writers', writers.validation, seed + 1));
  validation.push(uspsValidation('usps held out', usps, uspsParts.validation));
  validation.push(await rejectValidation(2000, { mnist: mnistValidation, strokes: writers.validation }, seed + 2, referenceModel));
  const countWriters = (list: typeof strokes) => new Set(list.map((s) => s.writer)).size;
  Object.assign(dataNotes, {
    strokeTrain: trainStrokes.length,
    strokeTrainWriters: countWriters(trainStrokes),
    strokeValidation: writers.validation.length,
    strokeValidationWriters: countWriters(writers.validation),
    strokeTestWriters: countWriters(writers.test),
    uspsTrain: trainUsps.length,
    uspsValidation: uspsParts.validation.length,
    reference: hasReference ? path.relative(root, referenceDir) : 'none',
  });
  console.log(`other writers: ${JSON.stringify(dataNotes)}`);
} else {
  source = mnistSource(mnistTrain, augment, seed);
}

const result = await train({
  architecture,
  source,
  validation,
  epochs: number(values.epochs, defaults.epochs, 'epochs'),
  batchSize: number(values['batch-size'], defaults.batchSize, 'batch-size'),
  learningRate: number(values.lr, defaults.learningRate, 'lr'),
  minLearningRateFraction: number(values['min-lr-fraction'], 0.02, 'min-lr-fraction'),
  schedule: (values.schedule ?? (isSeed ? 'constant' : 'cosine')) as 'cosine' | 'constant',
  labelSmoothing: number(values['label-smoothing'], isSeed ? 0 : 0.1, 'label-smoothing'),
  emaDecay: number(values.ema, isSeed ? 0 : 0.999, 'ema'),
  seed,
  outputDir: values.out ?? path.join(root, isSeed ? 'model/baselines/seed' : 'model/artifacts'),
  checkpointDir: values['checkpoint-dir'] ?? path.join(root, 'model/checkpoints', architecture),
  resume: values.resume,
  quantization: (values.quantize ?? (isSeed ? 'none' : 'float16')) as 'none' | 'float16',
  metadata: {
    command: `npm run train -- ${process.argv.slice(2).join(' ')}`.trim(),
    backend,
    trainedAt: new Date().toISOString(),
    data: dataNotes,
    classes: source.classes === DIGIT_CLASSES ? 'digits' : 'digits and not-one-digit',
  },
});
await threaded?.close();
console.log(
  JSON.stringify({
    bestEpoch: result.bestEpoch,
    bestValidationScore: result.bestValidationScore,
    parameters: result.parameters,
    multiplyAdds: result.multiplyAdds,
    seconds: Math.round(result.seconds),
  }),
);
