// How a settings file's `linkedArticles.*` entries and the editor's settings section become the core's settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeSettings, partialFromSection, sectionFromSettingsFile } from '../../server/src/core/settings';
import { SECTION_KEYS, toLspSettings } from '../../server/src/lsp/settings';
import manifest from '../../package.json';

test('flat, nested and half-nested linkedArticles keys give the same section, and other keys are left out', () => {
  const flat = sectionFromSettingsFile({
    'linkedArticles.caseMode': 'first-letter',
    'linkedArticles.diagnostics.brokenLink': 'error',
    'linkedArticles.exclude': ['drafts/**'],
    'editor.wordWrap': 'on',
    linkedArticlesExtra: 1,
  });
  const nested = sectionFromSettingsFile({ linkedArticles: { caseMode: 'first-letter', diagnostics: { brokenLink: 'error' }, exclude: ['drafts/**'] } });
  const half = sectionFromSettingsFile({ 'linkedArticles.diagnostics': { brokenLink: 'error' }, linkedArticles: { caseMode: 'first-letter', exclude: ['drafts/**'] } });
  const want = { caseMode: 'first-letter', diagnostics: { brokenLink: 'error' }, exclude: ['drafts/**'] };
  assert.deepEqual(flat, want);
  assert.deepEqual(nested, want);
  assert.deepEqual(half, want);
  for (const notAnObject of [null, 3, 'x', ['linkedArticles.caseMode']]) assert.deepEqual(sectionFromSettingsFile(notAnObject), {});
});

test('a section maps each diagnostics setting onto its problem code, and megabytes onto bytes; bad values keep the defaults', () => {
  const s = mergeSettings(partialFromSection({ diagnostics: { unusedFootnoteDefinition: 'off', ambiguousLink: 'loud' }, maxFileSizeMB: 2, caseMode: 'sometimes' }));
  assert.equal(s.severity['unused-footnote-definition'], 'off');
  assert.equal(s.severity['ambiguous-link'], 'warning', 'an unknown level keeps the default');
  assert.equal(s.maxFileSize, 2 * 1024 * 1024);
  assert.equal(s.caseMode, 'insensitive', 'an unknown case mode keeps the default');
});

test('orphans.exclude is read nested or flat from a settings file, and keeps only strings', () => {
  const flat = mergeSettings(partialFromSection(sectionFromSettingsFile({ 'linkedArticles.orphans.exclude': ['drafts/**', 7] })));
  assert.deepEqual(flat.orphansExclude, ['drafts/**']);
  assert.deepEqual(mergeSettings(partialFromSection({ orphans: { exclude: ['Index.md'] } })).orphansExclude, ['Index.md']);
  assert.deepEqual(mergeSettings(partialFromSection({})).orphansExclude, []);
});

test('every setting the server reads from its section is one the extension manifest declares, nested as declared', () => {
  const declared = new Set(Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(/^linkedArticles\./, '')));
  const read = new Set<string>();
  // A section that records each key read of it, at any depth, and answers with another such section.
  const recording = (prefix: string): object =>
    new Proxy({}, {
      get(_, key) {
        if (typeof key !== 'string') return undefined;
        const path = prefix + key;
        read.add(path);
        return recording(path + '.');
      },
    });
  toLspSettings(recording(''));
  assert.ok(read.size >= 10, `${[...read].join(', ')} read`);
  for (const path of read) {
    const isLeaf = declared.has(path);
    const isGroup = [...declared].some((d) => d.startsWith(path + '.'));
    assert.ok(isLeaf || isGroup, `${path} is read but not declared in package.json`);
  }
  // And the keys that tell initialization options holding the section are the manifest's top-level ones.
  for (const path of read) if (!path.includes('.')) assert.ok(SECTION_KEYS.has(path), path);
});
