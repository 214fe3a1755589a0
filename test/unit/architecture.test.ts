// Guards the layering rule: the core under server/src/core never imports an editor or LSP package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CORE = path.resolve(__dirname, '../../server/src/core');
const FORBIDDEN = /^(vscode|vscode-languageserver[^/]*|vscode-languageclient)(\/|$)/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(m|c)?[tj]sx?$/.test(e.name)) out.push(full);
  }
  return out;
}

/** Every module specifier a file names: static imports and re-exports, `import()`, `require()`. */
export function specifiers(source: string): string[] {
  // Comments may mention vscode freely; only code counts.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

test('the specifier scanner sees every import form it is meant to catch', () => {
  const sample = [
    "import * as v from 'vscode';",
    "import type { X } from 'vscode-languageserver-types';",
    "export { y } from \"vscode-languageclient/node\";",
    "const z = require('vscode-languageserver/node');",
    "const w = await import('vscode-languageserver-textdocument');",
    "import 'vscode';",
    '// import nothing from "vscode" in a comment',
  ].join('\n');
  const bad = specifiers(sample).filter((s) => FORBIDDEN.test(s));
  assert.equal(bad.length, 6);
  assert.ok(!FORBIDDEN.test('vscode-uri'), 'packages that merely start with vscode are not LSP packages');
});

test('no file of the core imports vscode, vscode-languageserver or vscode-languageclient', () => {
  const files = sourceFiles(CORE);
  assert.ok(files.length >= 5, `expected the core's files under ${CORE}`);
  const offenders: string[] = [];
  for (const f of files) {
    for (const s of specifiers(fs.readFileSync(f, 'utf8'))) {
      if (FORBIDDEN.test(s)) offenders.push(`${path.relative(CORE, f)} imports '${s}'`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the core reaches no LSP package indirectly through a relative import outside the core', () => {
  const outside: string[] = [];
  for (const f of sourceFiles(CORE)) {
    for (const s of specifiers(fs.readFileSync(f, 'utf8'))) {
      if (!s.startsWith('.')) continue;
      const target = path.resolve(path.dirname(f), s);
      if (!target.startsWith(CORE + path.sep) && target !== CORE) outside.push(`${path.relative(CORE, f)} imports '${s}'`);
    }
  }
  assert.deepEqual(outside, []);
});
