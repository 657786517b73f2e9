/**
 * The house rules, checked: the recognition core (model/core) ships to browsers and to Workers, so
 * it imports nothing from Node, the DOM, tfjs-node or the training code (tfjs types are allowed: the
 * classifier is handed tfjs by its caller); the worker and the element reach the core only through
 * its front door, model/core/index.ts, and never reach training or test code.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const file = path.join(dir, name);
    if (statSync(path.join(root, file)).isDirectory()) out.push(...sources(file));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(file);
  }
  return out;
}

/** Every module specifier a file imports or re-exports, with whether the import is type-only. */
function importsOf(text: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm))
    found.push({ specifier: match[3]!, typeOnly: !!match[2] });
  for (const match of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ specifier: match[1]!, typeOnly: false });
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: match[1]!, typeOnly: false });
  return found;
}

// Node's `process` too: the core also runs in the browser and in workerd, where it is undefined.
const HOST_GLOBALS =
  /\b(document|window|navigator|localStorage|HTMLElement|HTMLCanvasElement|requestAnimationFrame|customElements|OffscreenCanvas|process|Buffer)\b/;

/** What is wrong with a core file: imports from outside the core, and uses of the DOM. */
export function coreViolations(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const { specifier, typeOnly } of importsOf(text)) {
    const tfjsTypes = typeOnly && (specifier === '@tensorflow/tfjs-core' || specifier === '@tensorflow/tfjs-layers');
    const inside = specifier.startsWith('./') && !specifier.includes('/training') && !specifier.includes('/testing');
    if (!inside && !tfjsTypes) problems.push(`${file} imports ${specifier}`);
  }
  // Comments may mention the DOM; code may not use it.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const dom = HOST_GLOBALS.exec(code);
  if (dom) problems.push(`${file} uses ${dom[1]}`);
  return problems;
}

/** What is wrong with a worker or element file: the core other than through its front door, training or test code. */
export function consumerViolations(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const { specifier } of importsOf(text)) {
    if (!specifier.startsWith('.')) continue;
    const target = path.normalize(path.join(path.dirname(file), specifier));
    if (target.startsWith('model/core/') && target !== 'model/core/index.js')
      problems.push(`${file} imports ${specifier}, not the core's front door`);
    if (target.startsWith('model/training/') || target.startsWith('model/testing/')) problems.push(`${file} imports ${specifier}`);
  }
  return problems;
}

describe('the house rules', () => {
  it('the core imports nothing but itself (and tfjs types), and never the DOM or Node globals', () => {
    const problems = sources('model/core').flatMap((file) => coreViolations(file, readFileSync(path.join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the worker and the element use the core only through model/core/index.ts, and no training or test code', () => {
    const files = [...sources('worker/src'), ...sources('component/src')];
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((file) => consumerViolations(file, readFileSync(path.join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the checks catch what they are for (each rule broken once)', () => {
    expect(coreViolations('model/core/x.ts', "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(coreViolations('model/core/x.ts', "import { train } from '../training/train.js';")).toHaveLength(1);
    expect(coreViolations('model/core/x.ts', "import * as tf from '@tensorflow/tfjs-core';")).toHaveLength(1);
    expect(coreViolations('model/core/x.ts', "const c = document.createElement('canvas');")).toHaveLength(1);
    expect(coreViolations('model/core/x.ts', 'const limit = Number(globalThis.process?.env?.LIMIT ?? 3);')).toHaveLength(1);
    expect(coreViolations('model/core/x.ts', "import type * as Tf from '@tensorflow/tfjs-core';\nimport { a } from './a.js';")).toEqual([]);
    expect(consumerViolations('worker/src/predict/x.ts', "import { segment } from '../../../model/core/segment.js';")).toHaveLength(1);
    expect(
      consumerViolations('component/src/x.ts', "import { composeNumber } from '../../model/testing/handwritten-numbers.js';"),
    ).toHaveLength(1);
    expect(consumerViolations('component/src/x.ts', "import { prepareDigits } from '../../model/core/index.js';")).toEqual([]);
  });
});
