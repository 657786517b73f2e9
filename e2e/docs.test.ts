/**
 * The embedding guide is checked against the custom elements manifest: the manifest must be what
 * the analyzer makes of today's source (`npm run manifest`), and component/README.md's tables of
 * attributes, events, methods, CSS parts and custom properties must list exactly what the manifest
 * declares. (The top README only summarizes the API and links there.) Every relative link of the top
 * README must lead to a file that exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Declaration {
  customElement?: boolean;
  tagName?: string;
  attributes?: { name: string; fieldName?: string }[];
  events?: { name: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
  slots?: { name: string }[];
  members?: { kind: string; name: string; privacy?: string; static?: boolean }[];
}
interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const manifest = JSON.parse(read('component/custom-elements.json')) as Manifest;
const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement && d.tagName === 'digit-recognizer')!;

/** Lifecycle callbacks the browser calls: not part of the API a page uses. */
const CALLBACKS = new Set([
  'formResetCallback',
  'formDisabledCallback',
  'formStateRestoreCallback',
  'connectedCallback',
  'disconnectedCallback',
]);

/** The markdown section starting at `heading` (up to the next heading of the same or a higher level). */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const level = heading.match(/^#+/)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.match(/^#+/)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** First-column (and optionally second-column) code names of a markdown table whose header starts with `header`. */
function tableColumn(markdown: string, header: string, column = 0): string[] {
  const lines = markdown.split('\n');
  // The header cell is read trimmed: Prettier pads a table's columns to one width.
  const start = lines.findIndex((l) => l.startsWith('|') && l.split('|')[1]!.trim() === header);
  if (start < 0) throw new Error(`no table headed "${header}"`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[column + 1]!.trim();
    const name = cell.match(/^`([^`(:]+)/)?.[1];
    if (name) rows.push(name);
  }
  return rows;
}

/** Backticked names in the paragraph starting with `label` (custom properties are listed as suffixes). */
function listAfter(markdown: string, label: string): string[] {
  const paragraph = markdown.split('\n\n').find((p) => p.trimStart().startsWith(label));
  if (!paragraph) throw new Error(`no paragraph starting with "${label}"`);
  return [...paragraph.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe.each(['component/README.md'])('%s, checked against the custom elements manifest', (file) => {
  const markdown = read(file);
  const styling = section(markdown, '### Styling');

  it('lists every attribute with its property, and nothing else', () => {
    const attributes = tableColumn(markdown, 'Attribute');
    const propertyColumn = tableColumn(markdown, 'Attribute', 1);
    expect(sorted(attributes)).toEqual(sorted(element.attributes!.map((a) => a.name)));
    const properties = Object.fromEntries(attributes.map((name, i) => [name, propertyColumn[i]]));
    for (const attribute of element.attributes!) expect(properties[attribute.name], attribute.name).toBe(attribute.fieldName);
  });

  it('lists every event', () => {
    expect(sorted(tableColumn(markdown, 'Event'))).toEqual(sorted(element.events!.map((e) => e.name)));
  });

  it('documents every public method', () => {
    const methods = element
      .members!.filter(
        (m) => m.kind === 'method' && !m.static && m.privacy !== 'private' && m.privacy !== 'protected' && !CALLBACKS.has(m.name),
      )
      .map((m) => m.name);
    const table = tableColumn(markdown, 'Method');
    for (const name of table) expect(methods, `${name} in the Methods table`).toContain(name);
    // The rest (checkValidity, reportValidity) are named beside the read-only properties.
    for (const name of methods) expect(table.includes(name) || markdown.includes(`\`${name}()\``), `${name} documented`).toBe(true);
  });

  it('lists every CSS part and custom property, and the slot', () => {
    expect(sorted(listAfter(styling, 'Parts:'))).toEqual(sorted(element.cssParts!.map((p) => p.name)));
    const prefix = '--digit-recognizer';
    const listed = listAfter(styling, 'Custom properties')
      .filter((name) => name !== `${prefix}-`)
      .map((name) => (name.startsWith('--') ? name : `${prefix}${name}`));
    expect(sorted(listed)).toEqual(sorted(element.cssProperties!.map((p) => p.name)));
    expect(listAfter(styling, 'Slot:')).toEqual(element.slots!.map((s) => s.name));
  });
});

describe('the top README', () => {
  it('links only to files that exist', () => {
    const markdown = read('README.md').replace(/```[\s\S]*?```/g, '');
    const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'));
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.filter((t) => !existsSync(path.join(root, t.split('#')[0]!)))).toEqual([]);
  });
});

describe('the custom elements manifest', () => {
  it('is what `npm run manifest` makes of the current source', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cem-'));
    try {
      const cem = path.join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
      const run = spawnSync(
        process.execPath,
        [cem, 'analyze', '--config', 'component/custom-elements-manifest.config.mjs', '--outdir', path.relative(root, out)],
        { cwd: root, encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const fresh = JSON.parse(readFileSync(path.join(out, 'custom-elements.json'), 'utf8')) as unknown;
      expect(fresh, 'component/custom-elements.json is stale: run npm run manifest').toEqual(manifest);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
