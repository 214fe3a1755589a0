// What the editing handlers (rename, code actions, mentions) share: documents as the editor has them, and edits the client can apply.
import { LSPErrorCodes, ResponseError, type ClientCapabilities, type WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageserver/node';
import { EditRefused, type WorkspaceEdit } from '../core/edits';
import type { DocumentReader, DocumentText } from '../core/features/editing';
import type { ServerContext } from './context';

/** An open document's text and version from the editor, else the file's text with no version. */
export function documentReader(ctx: ServerContext): DocumentReader {
  return (path: string): DocumentText | undefined => {
    const doc = ctx.documents.get(ctx.toUri(path));
    if (doc) return { text: doc.getText(), version: doc.version };
    const text = ctx.service.textOf(path);
    return text === undefined ? undefined : { text, version: null };
  };
}

/** A refusal the writer should read (the name is taken, the link is broken…): an LSP error with that message. */
export function refusal(e: unknown): never {
  if (e instanceof EditRefused) throw new ResponseError(LSPErrorCodes.RequestFailed, e.message);
  throw e;
}

function uses(edit: WorkspaceEdit, kind: 'create' | 'rename'): boolean {
  return edit.documentChanges.some((c) => 'kind' in c && c.kind === kind);
}

/**
 * Whether the client takes `documentChanges`: it says so, or it lists resource operations, which exist only inside
 * them. Neovim lists create, rename and delete and applies them, but does not say `documentChanges` (0.7, and the
 * protocol.lua of later versions still): taken at its word alone, it could neither rename an article nor create one
 * from a broken link.
 */
function takesDocumentChanges(caps: ClientCapabilities): boolean {
  const we = caps.workspace?.workspaceEdit;
  return !!we?.documentChanges || (we?.resourceOperations?.length ?? 0) > 0;
}

/** Whether the client can create or rename files through the server's edits. */
export function canOperateOnFiles(caps: ClientCapabilities, kind: 'create' | 'rename'): boolean {
  return takesDocumentChanges(caps) && (caps.workspace?.workspaceEdit?.resourceOperations ?? []).includes(kind);
}

/**
 * The edit as this client can take it: `documentChanges` when it takes them (with the file operations it lists),
 * else plain `changes`; undefined when the edit needs a file operation the client cannot perform.
 */
export function forClient(edit: WorkspaceEdit, caps: ClientCapabilities): LspWorkspaceEdit | undefined {
  if (takesDocumentChanges(caps)) {
    if (uses(edit, 'create') && !canOperateOnFiles(caps, 'create')) return undefined;
    if (uses(edit, 'rename') && !canOperateOnFiles(caps, 'rename')) return undefined;
    return edit as LspWorkspaceEdit;
  }
  if (uses(edit, 'create') || uses(edit, 'rename')) return undefined;
  const changes: NonNullable<LspWorkspaceEdit['changes']> = {};
  for (const c of edit.documentChanges) if ('textDocument' in c) (changes[c.textDocument.uri] ??= []).push(...c.edits);
  return { changes };
}
