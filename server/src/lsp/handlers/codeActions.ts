// textDocument/codeAction: quick fixes for the problems, linking a mention, converting a link's syntax, renumbering footnotes, a table of contents, moving a section to a new article.
import { CodeActionKind, LSPErrorCodes, ResponseError, type ClientCapabilities, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { codeActions, RENUMBER_FOOTNOTES, resolveCodeAction, TABLE_OF_CONTENTS, type CodeActionResolve } from '../../core/features/codeActions';
import { currentArticle } from '../../core/features/editing';
import type { Feature } from '../context';
import { toDiagnostic } from '../diagnostics';
import { documentReader, forClient, refusal } from '../editing';

const sameRange = (a: Diagnostic['range'], b: Diagnostic['range']) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export const codeActionsFeature: Feature = {
  name: 'codeActions',
  capabilities: (client) => ({
    codeActionProvider: client.textDocument?.codeAction?.codeActionLiteralSupport
      ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract, RENUMBER_FOOTNOTES, TABLE_OF_CONTENTS], ...(resolves(client) ? { resolveProvider: true } : {}) }
      : true,
  }),
  register(ctx) {
    ctx.connection.onCodeAction(
      ctx.guard('textDocument/codeAction', (params): CodeAction[] | null => {
        const path = ctx.toPath(params.textDocument.uri);
        const doc = documentReader(ctx)(path);
        if (!doc || !ctx.service.article(path)) return null;
        const lines = currentArticle(ctx.service.wiki, path, doc.text).lines;
        const span = { start: lines.offsetAt(params.range.start), end: lines.offsetAt(params.range.end) };
        const actions = codeActions(ctx.service.wiki, { path, text: doc.text, version: doc.version }, span, {
          read: documentReader(ctx),
          toUri: (p) => ctx.toUri(p),
          exists: (p) => ctx.service.textOf(p) !== undefined,
          only: params.context.only,
          lazy: resolves(ctx.clientCapabilities),
        });
        const out: CodeAction[] = [];
        for (const a of actions) {
          if (a.resolve) {
            // Offered now, made when chosen (codeAction/resolve): what it needs travels in `data`.
            if (!forClient({ documentChanges: [{ kind: 'create', uri: params.textDocument.uri }] }, ctx.clientCapabilities)) continue; // it makes a file
            const data: ResolveData = { uri: params.textDocument.uri, version: doc.version, resolve: a.resolve };
            out.push({ title: a.title, kind: a.kind, data });
            continue;
          }
          const edit = a.edit && forClient(a.edit, ctx.clientCapabilities);
          if (!edit) continue; // creating a file needs a client that can
          const action: CodeAction = { title: a.title, kind: a.kind, edit };
          if (a.isPreferred) action.isPreferred = true;
          if (a.problem) {
            const p = a.problem;
            action.diagnostics = [params.context.diagnostics.find((d) => d.code === p.code && sameRange(d.range, p.range)) ?? toDiagnostic(p)];
          }
          out.push(action);
        }
        return out;
      }),
    );

    ctx.connection.onCodeActionResolve(
      ctx.guard('codeAction/resolve', (action): CodeAction => {
        const data = action.data as ResolveData | undefined;
        if (!data || typeof data.uri !== 'string' || !data.resolve?.extractSection) return action;
        const path = ctx.toPath(data.uri);
        const doc = documentReader(ctx)(path);
        if (!doc || doc.version !== data.version) throw new ResponseError(LSPErrorCodes.ContentModified, 'The article changed since the action was offered: ask for the actions again');
        let edit;
        try {
          edit = resolveCodeAction(ctx.service.wiki, { path, text: doc.text, version: doc.version }, data.resolve, {
            read: documentReader(ctx),
            toUri: (p) => ctx.toUri(p),
            exists: (p) => ctx.service.textOf(p) !== undefined,
          });
        } catch (e) {
          refusal(e);
        }
        const lsp = forClient(edit, ctx.clientCapabilities);
        if (!lsp) throw new ResponseError(LSPErrorCodes.RequestFailed, 'This editor cannot create files through the language server');
        return { ...action, edit: lsp };
      }),
    );
  },
};

/** What an action offered without its edit carries to codeAction/resolve. */
interface ResolveData {
  uri: string;
  /** The document's version when offered: a changed document gets no edit made for the old text. */
  version: number | null;
  resolve: CodeActionResolve;
}

/** Whether the client asks for an action's edit when it is chosen, handing back the action's `data`. */
function resolves(client: ClientCapabilities): boolean {
  const c = client.textDocument?.codeAction;
  return !!c?.dataSupport && !!c.resolveSupport?.properties.includes('edit');
}
