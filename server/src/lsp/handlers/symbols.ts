// textDocument/documentSymbol (headings, footnotes) and workspace/symbol (titles, aliases, headings, glossary terms).
import type { DocumentSymbol, SymbolKind, WorkspaceSymbol } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const symbols: Feature = {
  name: 'symbols',
  capabilities: () => ({ documentSymbolProvider: { label: 'Linked Articles' }, workspaceSymbolProvider: true }),
  register(ctx) {
    ctx.connection.onDocumentSymbol(
      ctx.guard('textDocument/documentSymbol', (params): DocumentSymbol[] => ctx.service.documentSymbols(ctx.toPath(params.textDocument.uri)) as DocumentSymbol[]),
    );
    ctx.connection.onWorkspaceSymbol(
      ctx.guard('workspace/symbol', (params, token): WorkspaceSymbol[] =>
        ctx.service
          .workspaceSymbols(params.query ?? '', ctx.settings().workspaceSymbols.maxItems, { isCancelled: () => token.isCancellationRequested })
          .map((s) => ({ name: s.name, kind: s.kind as SymbolKind, containerName: s.containerName, location: { uri: ctx.toUri(s.location.path), range: s.location.range } })),
      ),
    );
  },
};
