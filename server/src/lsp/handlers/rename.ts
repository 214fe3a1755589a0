// textDocument/prepareRename, textDocument/rename and workspace/willRenameFiles: articles and headings renamed with every link to them.
import { LSPErrorCodes, ResponseError, type PrepareRenameResult, type WorkspaceEdit } from 'vscode-languageserver/node';
import { fileRenameEdits, prepareRename, rename } from '../../core/features/rename';
import type { Feature, ServerContext } from '../context';
import { canOperateOnFiles, documentReader, forClient, refusal } from '../editing';

const CANNOT_RENAME_FILES = 'Renaming an article renames its file, and this editor cannot rename files through the language server';

/**
 * Renames this server asked the client to make, by old path → new path. VS Code runs file-operation participants
 * (our willRenameFiles) for the renames in our own edit too; those links were rewritten already, so the echo is
 * answered with nothing rather than with edits computed against texts the client has just changed.
 */
const ownRenames = new Map<string, { to: string; at: number }>();
const OWN_RENAME_MS = 10 * 60_000;

function noteOwnRenames(ctx: ServerContext, edit: WorkspaceEdit): void {
  const now = Date.now();
  for (const [k, v] of ownRenames) if (now - v.at > OWN_RENAME_MS) ownRenames.delete(k);
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c && c.kind === 'rename') ownRenames.set(ctx.toPath(c.oldUri), { to: ctx.toPath(c.newUri), at: now });
  }
}

function article(ctx: ServerContext, uri: string) {
  const path = ctx.toPath(uri);
  const doc = documentReader(ctx)(path);
  const a = ctx.service.article(path);
  return a && doc ? { article: a, text: doc.text } : undefined;
}

export const renameFeature: Feature = {
  name: 'rename',
  capabilities: (client) => ({
    renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
    workspace: {
      fileOperations: {
        willRename: {
          filters: [
            // Every file, not only articles: links to a moved image or PDF are rewritten too.
            { scheme: 'file', pattern: { glob: '**/*', matches: 'file' } },
            { scheme: 'file', pattern: { glob: '**/*', matches: 'folder' } },
          ],
        },
      },
    },
  }),
  register(ctx) {
    ctx.connection.onPrepareRename(
      ctx.guard('textDocument/prepareRename', (params): PrepareRenameResult | null => {
        const at = article(ctx, params.textDocument.uri);
        if (!at) return null;
        const r = prepareRename(ctx.service.wiki, at.article, at.text, at.article.lines.offsetAt(params.position));
        if (!r) return null;
        if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
        // Said before the writer types a new name, not after.
        if (r.kind === 'article' && !canOperateOnFiles(ctx.clientCapabilities, 'rename')) throw new ResponseError(LSPErrorCodes.RequestFailed, CANNOT_RENAME_FILES);
        return { range: r.range, placeholder: r.placeholder };
      }),
    );

    ctx.connection.onRenameRequest(
      ctx.guard('textDocument/rename', (params): WorkspaceEdit | null => {
        const at = article(ctx, params.textDocument.uri);
        if (!at) return null;
        let edit;
        try {
          edit = rename(ctx.service.wiki, at.article, at.text, at.article.lines.offsetAt(params.position), params.newName, {
            read: documentReader(ctx),
            toUri: (p) => ctx.toUri(p),
            exists: (p) => ctx.service.textOf(p) !== undefined,
            leaveRedirect: ctx.settings(at.article.path).rename.leaveRedirect,
          });
        } catch (e) {
          refusal(e);
        }
        const lsp = forClient(edit, ctx.clientCapabilities);
        if (!lsp) throw new ResponseError(LSPErrorCodes.RequestFailed, CANNOT_RENAME_FILES);
        noteOwnRenames(ctx, lsp);
        return lsp;
      }),
    );

    ctx.connection.workspace.onWillRenameFiles(
      ctx.guard('workspace/willRenameFiles', (params): WorkspaceEdit | null => {
        const files = params.files
          .map((f) => ({ oldPath: ctx.toPath(f.oldUri), newPath: ctx.toPath(f.newUri) }))
          .filter((f) => {
            const own = ownRenames.get(f.oldPath);
            if (own && own.to === f.newPath) {
              ownRenames.delete(f.oldPath);
              return false;
            }
            return true;
          });
        if (!files.length) return null;
        let edit;
        try {
          edit = fileRenameEdits(ctx.service.wiki, files, { read: documentReader(ctx), toUri: (p) => ctx.toUri(p) });
        } catch (e) {
          refusal(e);
        }
        if (!edit.documentChanges.length) return null;
        return forClient(edit, ctx.clientCapabilities) ?? null;
      }),
    );
  },
};
