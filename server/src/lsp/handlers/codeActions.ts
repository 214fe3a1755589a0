// textDocument/codeAction: quick fixes for the problems, linking a mention, converting a link's syntax, renumbering footnotes, moving a section to a new article.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { codeActions, RENUMBER_FOOTNOTES } from '../../core/features/codeActions';
import { currentArticle } from '../../core/features/editing';
import type { Feature } from '../context';
import { toDiagnostic } from '../diagnostics';
import { documentReader, forClient } from '../editing';

const sameRange = (a: Diagnostic['range'], b: Diagnostic['range']) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export const codeActionsFeature: Feature = {
  name: 'codeActions',
  capabilities: (client) => ({
    codeActionProvider: client.textDocument?.codeAction?.codeActionLiteralSupport
      ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract, RENUMBER_FOOTNOTES] }
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
        });
        const out: CodeAction[] = [];
        for (const a of actions) {
          const edit = forClient(a.edit, ctx.clientCapabilities);
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
  },
};
