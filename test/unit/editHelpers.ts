// Helpers for the features' tests: in-memory wikis and services, a cursor marker, and applying a WorkspaceEdit to real texts.
import assert from 'node:assert/strict';
import { applyWorkspaceEdit, fileUri, uriToPath, type WorkspaceEdit } from '../../server/src/core/edits';
import type { DocumentReader } from '../../server/src/core/features/editing';
import { articleProblems } from '../../server/src/core/diagnostics';
import { Wiki } from '../../server/src/core/wiki';
import { WikiService } from '../../server/src/core/service';
import { InMemoryWorkspace } from '../../server/src/core/workspace';
import { mergeSettings } from '../../server/src/core/settings';

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

/** A service over an in-memory wiki of these files (paths relative to `/wiki`), its index built. */
export async function serviceOf(files: Files, settings: Record<string, unknown> = {}): Promise<WikiService> {
  const s = new WikiService(new InMemoryWorkspace(['/wiki'], files), mergeSettings(settings));
  await s.buildIndex();
  return s;
}

/** Opens `text` (with `|` as the cursor) as the article `/wiki/<rel>` and returns where the cursor is. */
export function openAt(s: WikiService, rel: string, textWithCursor: string): { path: string; position: { line: number; character: number }; text: string } {
  const at = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
  const path = `/wiki/${rel}`;
  s.open(path, text, 1);
  const before = text.slice(0, at);
  return { path, text, position: { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) } };
}
