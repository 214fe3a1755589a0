// Helpers for the editing features' tests: in-memory wikis, a cursor marker, and applying a WorkspaceEdit to real texts.
import assert from 'node:assert/strict';
import { applyWorkspaceEdit, fileUri, uriToPath, type WorkspaceEdit } from '../../server/src/core/edits';
import type { DocumentReader } from '../../server/src/core/features/editing';
import { articleProblems } from '../../server/src/core/diagnostics';
import { Wiki } from '../../server/src/core/wiki';

export type Files = Record<string, string>;

/** A wiki of the given files under `/wiki`; files named in `open` are held open at version 7, as an editor would. */
export function wikiOf(files: Files, open: string[] = []): Wiki {
  const wiki = new Wiki(['/wiki']);
  for (const [path, text] of Object.entries(files)) {
    if (/\.(md|markdown)$/i.test(path)) wiki.upsert(path, text, open.includes(path) ? { open: true, version: 7 } : {});
    else wiki.addAttachment(path);
  }
  return wiki;
}

export function readerOf(files: Files, open: string[] = []): DocumentReader {
  return (path) => (path in files ? { text: files[path], version: open.includes(path) ? 7 : null } : undefined);
}

/** Text with one `‸` marking the cursor: the text without it, and the cursor's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('‸');
  assert.ok(offset >= 0, 'the fixture has a ‸ cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** Applies the edit as a client would (versions checked) and returns the files by path. */
export function applyToFiles(files: Files, edit: WorkspaceEdit, open: string[] = []): Files {
  const byUri = new Map(Object.entries(files).map(([p, t]) => [fileUri(p), t]));
  const versions = new Map(open.map((p) => [fileUri(p), 7]));
  const out: Files = {};
  for (const [uri, text] of applyWorkspaceEdit(byUri, edit, versions)) out[uriToPath(uri)] = text;
  return out;
}

/** Every broken or ambiguous link in a wiki built from these files: a rename must leave none behind. */
export function brokenLinks(files: Files): string[] {
  const wiki = wikiOf(files);
  const out: string[] = [];
  for (const a of wiki.articles.values()) {
    for (const p of articleProblems(wiki, a)) if (p.code === 'broken-link' || p.code === 'ambiguous-link' || p.code === 'broken-heading') out.push(`${a.rel}: ${p.message}`);
  }
  return out;
}
