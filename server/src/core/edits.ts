// The core's WorkspaceEdit in LSP's shapes (no LSP package): versioned text edits per document, file creations and renames.
import { LineIndex } from './lineIndex';
import type { Range, Span } from './types';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface OptionalVersionedTextDocumentIdentifier {
  uri: string;
  /** The version of the open document the edits were computed against; null for a file no editor holds. */
  version: number | null;
}

export interface TextDocumentEdit {
  textDocument: OptionalVersionedTextDocumentIdentifier;
  edits: TextEdit[];
}

export interface FileOperationOptions {
  overwrite?: boolean;
  ignoreIfExists?: boolean;
}

export interface CreateFile {
  kind: 'create';
  uri: string;
  options?: FileOperationOptions;
}

export interface RenameFile {
  kind: 'rename';
  oldUri: string;
  newUri: string;
  options?: FileOperationOptions;
}

export type DocumentChange = TextDocumentEdit | CreateFile | RenameFile;

export interface WorkspaceEdit {
  documentChanges: DocumentChange[];
}

/** How the adapter spells a path as a URI; injected so that the URIs match the ones the client sent. */
export type ToUri = (path: string) => string;

/** Raised when a requested edit cannot be made safely; the message is meant for the writer. */
export class EditRefused extends Error {}

const URI_KEEP = /[A-Za-z0-9\-._~]/;

/**
 * A `file:` URI spelt as VS Code spells it (vscode-uri's `URI.file(p).toString()`): every character but the
 * unreserved ones escaped, a drive letter lower-cased, so the client recognises the documents it has open.
 */
export function fileUri(path: string): string {
  let p = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:/.test(p)) p = '/' + p[0].toLowerCase() + p.slice(1);
  if (!p.startsWith('/')) p = '/' + p;
  let out = 'file://';
  for (const ch of p) {
    if (ch === '/' || URI_KEEP.test(ch)) out += ch;
    else out += encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

/** The path a `file:` URI names (the inverse of fileUri, for tests and the adapter's fallbacks). */
export function uriToPath(uri: string): string {
  const p = decodeURIComponent(uri.replace(/^file:\/\//, ''));
  return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
}

interface PendingDocument {
  path: string;
  version: number | null;
  lines: LineIndex;
  edits: { span: Span; newText: string }[];
}

/**
 * Collects offset-based edits per document and turns them into one WorkspaceEdit: creations, then renames, then
 * the text edits, those in a renamed file addressed to its new URI. VS Code's API moves file operations ahead of
 * text edits whatever order the server sends, so only this order applies the same in VS Code and in clients that
 * follow the list as written.
 */
export class EditBuilder {
  private readonly docs = new Map<string, PendingDocument>();
  private readonly creates: CreateFile[] = [];
  private readonly renames: RenameFile[] = [];

  constructor(private readonly toUri: ToUri = fileUri) {}

  /** Replaces `span` of the document at `path`; `lines` must index the text the span refers to. */
  replace(path: string, lines: LineIndex, version: number | null | undefined, span: Span, newText: string): void {
    let doc = this.docs.get(path);
    if (!doc) this.docs.set(path, (doc = { path, version: version ?? null, lines, edits: [] }));
    doc.edits.push({ span, newText });
  }

  createFile(path: string, options: FileOperationOptions = {}): void {
    this.creates.push({ kind: 'create', uri: this.toUri(path), options });
  }

  private readonly renamedTo = new Map<string, string>();
  /** Files made where a renamed one was (a redirect left behind), with their text: after the renames, as written. */
  private readonly recreated: { path: string; text: string }[] = [];

  /**
   * Creates a file at a path the edit renames away (`renameFile` first), holding `text`. Its creation follows the
   * renames and its text is addressed to its own URI, not the renamed file's.
   */
  createAfterRename(path: string, text: string): void {
    this.recreated.push({ path, text });
  }

  renameFile(oldPath: string, newPath: string, options: FileOperationOptions = {}): void {
    this.renames.push({ kind: 'rename', oldUri: this.toUri(oldPath), newUri: this.toUri(newPath), options });
    this.renamedTo.set(oldPath, newPath);
  }

  get isEmpty(): boolean {
    return this.docs.size === 0 && this.creates.length === 0 && this.renames.length === 0 && this.recreated.length === 0;
  }

  /** How many text edits were collected (for tests and logs). */
  get editCount(): number {
    let n = 0;
    for (const d of this.docs.values()) n += d.edits.length;
    return n;
  }

  build(): WorkspaceEdit {
    const changes: DocumentChange[] = [...this.creates, ...this.renames];
    for (const r of this.recreated) changes.push({ kind: 'create', uri: this.toUri(r.path), options: { overwrite: false, ignoreIfExists: false } });
    for (const doc of this.docs.values()) {
      const sorted = [...doc.edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
      const kept: typeof sorted = [];
      for (const e of sorted) {
        const last = kept[kept.length - 1];
        if (last && last.span.start === e.span.start && last.span.end === e.span.end && last.newText === e.newText) continue;
        // Two edits over the same text would make the result depend on the client's order: a bug, never to be guessed around.
        if (last && e.span.start < last.span.end) {
          throw new Error(`overlapping edits in ${doc.path} at ${last.span.start}-${last.span.end} and ${e.span.start}-${e.span.end}`);
        }
        if (last && e.span.start === last.span.end && e.span.start === e.span.end && last.span.start === last.span.end) {
          throw new Error(`two insertions at the same place in ${doc.path} (${e.span.start})`);
        }
        kept.push(e);
      }
      const renamed = this.renamedTo.get(doc.path);
      changes.push({
        // After the rename the document's version is the client's to know: it is addressed without one.
        textDocument: { uri: this.toUri(renamed ?? doc.path), version: renamed ? null : doc.version },
        edits: kept.map((e) => ({ range: doc.lines.range(e.span), newText: e.newText })),
      });
    }
    for (const r of this.recreated) {
      changes.push({ textDocument: { uri: this.toUri(r.path), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: r.text }] });
    }
    return { documentChanges: changes };
  }
}

/** Applies LSP text edits to a text (all ranges refer to the original text, as LSP says). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e, i) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText, i }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) throw new Error(`overlapping text edits at offset ${s.start}`);
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Applies a WorkspaceEdit to a set of files (URI → text) the way a client does: a text edit whose version
 * does not match the document's is refused, a creation over an existing file fails unless told otherwise.
 * Returns the new set; the input is left alone. Used by tests and by the command line.
 */
export function applyWorkspaceEdit(
  files: ReadonlyMap<string, string>,
  edit: WorkspaceEdit,
  versions: ReadonlyMap<string, number> = new Map(),
): Map<string, string> {
  const out = new Map(files);
  for (const change of edit.documentChanges) {
    if ('kind' in change) {
      if (change.kind === 'create') {
        if (out.has(change.uri)) {
          if (change.options?.overwrite) out.set(change.uri, '');
          else if (!change.options?.ignoreIfExists) throw new Error(`${change.uri} already exists`);
        } else out.set(change.uri, '');
      } else {
        const text = out.get(change.oldUri);
        if (text === undefined) throw new Error(`${change.oldUri} does not exist`);
        if (out.has(change.newUri) && change.newUri.toLowerCase() !== change.oldUri.toLowerCase() && !change.options?.overwrite) {
          if (change.options?.ignoreIfExists) continue;
          throw new Error(`${change.newUri} already exists`);
        }
        out.delete(change.oldUri);
        out.set(change.newUri, text);
      }
      continue;
    }
    const uri = change.textDocument.uri;
    const text = out.get(uri);
    if (text === undefined) throw new Error(`${uri} does not exist`);
    const version = change.textDocument.version;
    if (version !== null && versions.has(uri) && versions.get(uri) !== version) {
      throw new Error(`${uri} is at version ${versions.get(uri)}, the edit was made for version ${version}`);
    }
    out.set(uri, applyTextEdits(text, change.edits));
  }
  return out;
}
