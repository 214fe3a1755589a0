// textDocument/diagnostic (pull), for clients that announce it; others get publishDiagnostics (see ../diagnostics.ts).
import type { DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const diagnostics: Feature = {
  name: 'diagnostics',
  capabilities: (client) =>
    client.textDocument?.diagnostic ? { diagnosticProvider: { identifier: 'linked-articles', interFileDependencies: true, workspaceDiagnostics: false } } : {},
  register(ctx) {
    if (!ctx.diagnostics.pull) return;
    ctx.connection.languages.diagnostics.on(
      ctx.guard('textDocument/diagnostic', (params): DocumentDiagnosticReport => ctx.diagnostics.report(params.textDocument.uri, params.previousResultId)),
    );
  },
};
