/**
 * Training CLI.  npm run train -- --data ../shared/mnist [--arch edge|seed] [--epochs N] ...
 * Run with --help for every flag and its default.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { ARCHITECTURES, type Architecture } from './architecture.js';
import { defaultDataFolder, loadMnist } from './data.js';
import { sliceDigitSet } from './idx.js';
import { useBackend, type NodeBackend } from './tfjs-node.js';
import { train } from './train.js';

const DEFAULTS = {
  edge: { epochs: 12, batchSize: 64, learningRate: 0.003 },
  seed: { epochs: 5, batchSize: 32, learningRate: 0.001 },
} as const;

const HELP = `Usage: npm run train -- [flags]
  --data DIR            MNIST IDX folder (default: ../shared/mnist)
  --arch edge|seed      edge = the shipped CNN; seed = the original project's network (default: edge)
  --epochs N            default: 12 (edge), 5 (seed)
  --batch-size N        default: 64 (edge), 32 (seed)
  --lr X                initial learning rate (Adam) (default: 0.003 edge, 0.001 seed)
  --schedule S          cosine|constant (default: cosine for edge, constant for seed)
  --min-lr-fraction X   final rate of the cosine schedule as a fraction of --lr (default: 0.02)
  --label-smoothing X   default: 0.1 (edge), 0 (seed)
  --no-augment          train on the plain images (default for seed: no augmentation, as the original)
  --augment             force augmentation on
  --seed N              random seed (default: 42)
  --limit N             use only the first N training images (smoke runs)
  --validation-limit N  use only the first N validation images
  --out DIR             where the best model goes (default: model/artifacts for edge, model/baselines/seed)
  --checkpoint-dir DIR  per-epoch checkpoint (default: model/checkpoints/<arch>)
  --resume              continue from the checkpoint
  --quantize none|float16  weight storage of the saved model (default: float16 for edge, none for seed)
  --backend wasm|cpu    default: wasm`;

const { values } = parseArgs({
  options: {
    data: { type: 'string' }, arch: { type: 'string', default: 'edge' }, epochs: { type: 'string' },
    'batch-size': { type: 'string' }, lr: { type: 'string' }, schedule: { type: 'string' },
    'min-lr-fraction': { type: 'string', default: '0.02' }, 'label-smoothing': { type: 'string' },
    augment: { type: 'boolean' }, 'no-augment': { type: 'boolean' }, seed: { type: 'string', default: '42' },
    limit: { type: 'string' }, 'validation-limit': { type: 'string' }, out: { type: 'string' },
    'checkpoint-dir': { type: 'string' }, resume: { type: 'boolean', default: false },
    quantize: { type: 'string' }, backend: { type: 'string', default: 'wasm' }, help: { type: 'boolean', default: false },
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
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const backend = await useBackend(values.backend as NodeBackend);
const split = await loadMnist(dataFolder);
const trainSet = values.limit ? sliceDigitSet(split.train, 0, number(values.limit, 0, 'limit')) : split.train;
const validation = values['validation-limit'] ? sliceDigitSet(split.validation, 0, number(values['validation-limit'], 0, 'validation-limit')) : split.validation;
const isSeed = architecture === 'seed';
const result = await train({
  architecture,
  train: trainSet,
  validation,
  epochs: number(values.epochs, defaults.epochs, 'epochs'),
  batchSize: number(values['batch-size'], defaults.batchSize, 'batch-size'),
  learningRate: number(values.lr, defaults.learningRate, 'lr'),
  minLearningRateFraction: number(values['min-lr-fraction'], 0.02, 'min-lr-fraction'),
  schedule: (values.schedule ?? (isSeed ? 'constant' : 'cosine')) as 'cosine' | 'constant',
  labelSmoothing: number(values['label-smoothing'], isSeed ? 0 : 0.1, 'label-smoothing'),
  augment: values.augment ?? (values['no-augment'] ? false : !isSeed),
  seed: number(values.seed, 42, 'seed'),
  outputDir: values.out ?? path.join(root, isSeed ? 'model/baselines/seed' : 'model/artifacts'),
  checkpointDir: values['checkpoint-dir'] ?? path.join(root, 'model/checkpoints', architecture),
  resume: values.resume,
  quantization: (values.quantize ?? (isSeed ? 'none' : 'float16')) as 'none' | 'float16',
  metadata: { command: `npm run train -- ${process.argv.slice(2).join(' ')}`.trim(), backend, trainedAt: new Date().toISOString() },
});
console.log(JSON.stringify({ bestEpoch: result.bestEpoch, bestValidationAccuracy: result.bestValidationAccuracy, parameters: result.parameters, multiplyAdds: result.multiplyAdds, seconds: Math.round(result.seconds) }));
