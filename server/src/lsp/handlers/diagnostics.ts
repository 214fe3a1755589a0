// textDocument/diagnostic and workspace/diagnostic (pull), for clients that announce it; others get publishDiagnostics (see ../diagnostics.ts).
import type { DocumentDiagnosticReport, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const diagnostics: Feature = {
  name: 'diagnostics',
  capabilities: (client) =>
    client.textDocument?.diagnostic ? { diagnosticProvider: { identifier: 'linked-articles', interFileDependencies: true, workspaceDiagnostics: true } } : {},
  register(ctx) {
    if (!ctx.diagnostics.pull) return;
    ctx.connection.languages.diagnostics.on(
      ctx.guard('textDocument/diagnostic', (params): DocumentDiagnosticReport => ctx.diagnostics.report(params.textDocument.uri, params.previousResultId)),
    );
    // The articles not open, when `diagnostics.scope` is `workspace`: streamed as partial results when the client takes them.
    // The library takes the partial result token out of the params and hands a reporter for it instead.
    ctx.connection.languages.diagnostics.onWorkspace((params, token, _workDone, partial) =>
      ctx.guard('workspace/diagnostic', async (p: WorkspaceDiagnosticParams, t): Promise<WorkspaceDiagnosticReport> => {
        const items = await ctx.diagnostics.workspaceReport(p.previousResultIds, t, partial && ((batch) => partial.report({ items: batch })));
        return { items };
      }, { longPoll: true })(params, token),
    );
  },
};
