/**
 * Splits by writer, never by sample: one person's digits look alike, so a model validated on
 * samples of writers it trained on looks better than it is. A writer's place (train, validation or
 * test) comes from a hash of its id and the seed, per dataset, so adding writers does not move the
 * others. Datasets with a single writer stay in training (there is no one to hold out).
 */
export type Part = 'train' | 'validation' | 'test';

export interface WriterSplitOptions {
  validationFraction: number;
  testFraction: number;
  seed: number;
}

export const DEFAULT_WRITER_SPLIT: WriterSplitOptions = { validationFraction: 0.15, testFraction: 0.15, seed: 2026 };

/** FNV-1a of a string mixed with the seed: a stable order of writers. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The part of every writer, keyed by writer id. */
export function assignWriters(
  samples: readonly { writer: string; dataset: string }[],
  options: WriterSplitOptions = DEFAULT_WRITER_SPLIT,
): Map<string, Part> {
  const byDataset = new Map<string, Set<string>>();
  for (const s of samples) {
    let writers = byDataset.get(s.dataset);
    if (!writers) byDataset.set(s.dataset, (writers = new Set()));
    writers.add(s.writer);
  }
  const parts = new Map<string, Part>();
  for (const writers of byDataset.values()) {
    const ordered = [...writers].sort((a, b) => hash(a, options.seed) - hash(b, options.seed) || (a < b ? -1 : 1));
    if (ordered.length < 2) {
      for (const w of ordered) parts.set(w, 'train');
      continue;
    }
    const test = Math.max(1, Math.round(ordered.length * options.testFraction));
    const validation = Math.max(1, Math.round(ordered.length * options.validationFraction));
    ordered.forEach((w, i) => parts.set(w, i < test ? 'test' : i < test + validation ? 'validation' : 'train'));
  }
  return parts;
}

/** The samples of each part. */
export function splitByWriter<T extends { writer: string; dataset: string }>(
  samples: readonly T[],
  options: WriterSplitOptions = DEFAULT_WRITER_SPLIT,
): Record<Part, T[]> {
  const parts = assignWriters(samples, options);
  const out: Record<Part, T[]> = { train: [], validation: [], test: [] };
  for (const s of samples) out[parts.get(s.writer)!].push(s);
  return out;
}

/**
 * USPS has no writer ids: a seeded random tenth is the test set (the "held-out tenth"), and
 * another tenth validates. Returns indices.
 */
export function splitUsps(count: number, seed = 2026, fraction = 0.1): Record<Part, number[]> {
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => hash(String(a), seed) - hash(String(b), seed) || a - b);
  const size = Math.round(count * fraction);
  return {
    test: order.slice(0, size).sort((a, b) => a - b),
    validation: order.slice(size, 2 * size).sort((a, b) => a - b),
    train: order.slice(2 * size).sort((a, b) => a - b),
  };
}
