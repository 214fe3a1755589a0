// How a settings file's `linkedArticles.*` entries and the editor's settings section become the core's settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeSettings, partialFromSection, sectionFromSettingsFile } from '../../server/src/core/settings';

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
