// textDocument/documentHighlight: a footnote's references and definition, or the links in the article to the same article or heading, highlighted together.
import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const highlights: Feature = {
  name: 'documentHighlight',
  capabilities: () => ({ documentHighlightProvider: true }),
  register(ctx) {
    ctx.connection.onDocumentHighlight(
      ctx.guard('textDocument/documentHighlight', (params): DocumentHighlight[] =>
        ctx.service
          .documentHighlights(ctx.toPath(params.textDocument.uri), params.position)
          .map((h) => ({ range: h.range, kind: h.kind === 'write' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read })),
      ),
    );
  },
};
