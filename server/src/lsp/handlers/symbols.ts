// textDocument/documentSymbol (headings, footnotes) and workspace/symbol (titles, aliases, headings, glossary terms).
import type { DocumentSymbol, SymbolKind, WorkspaceSymbol } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { Cancelled } from '../guard';

/**
 * How long one slice of a first query's preparation may keep the server from other requests. A request that comes
 * meanwhile waits a few slices (the connection's queue and the guard each wait a turn of the event loop): at 50,000
 * articles a document symbol request, 15 ms alone, was answered in 60–69 ms with 10 ms slices, 19–22 ms with 2 ms.
 */
export const WARM_SLICE_MS = 2;

export const symbols: Feature = {
  name: 'symbols',
  capabilities: () => ({ documentSymbolProvider: { label: 'Linked Articles' }, workspaceSymbolProvider: true }),
  register(ctx) {
    ctx.connection.onDocumentSymbol(
      ctx.guard('textDocument/documentSymbol', (params): DocumentSymbol[] => ctx.service.documentSymbols(ctx.toPath(params.textDocument.uri)) as DocumentSymbol[]),
    );
    ctx.connection.onWorkspaceSymbol(
      ctx.guard('workspace/symbol', async (params, token): Promise<WorkspaceSymbol[]> => {
        // The heading keys a first query needs are made in slices, between which other requests and a cancel are heard.
        while (!ctx.service.warmWorkspaceSymbols(WARM_SLICE_MS)) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (token.isCancellationRequested) throw new Cancelled();
        }
        return ctx.service
          .workspaceSymbols(params.query ?? '', ctx.settings().workspaceSymbols.maxItems, { isCancelled: () => token.isCancellationRequested })
          .map((s) => ({ name: s.name, kind: s.kind as SymbolKind, containerName: s.containerName, location: { uri: ctx.toUri(s.location.path), range: s.location.range } }));
      }),
    );
  },
};
