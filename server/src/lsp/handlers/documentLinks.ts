// textDocument/documentLink: every resolvable link, in every syntax, opens its file (at the heading's line: `#L<line>`).
import type { DocumentLink } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const documentLinks: Feature = {
  name: 'documentLinks',
  capabilities: () => ({ documentLinkProvider: { resolveProvider: false } }),
  register(ctx) {
    ctx.connection.onDocumentLinks(
      ctx.guard('textDocument/documentLink', (params, token): DocumentLink[] =>
        ctx.service
          .documentLinks(ctx.toPath(params.textDocument.uri), { isCancelled: () => token.isCancellationRequested })
          .map((l) => ({ range: l.range, target: ctx.toUri(l.path) + (l.line !== undefined ? `#L${l.line + 1}` : ''), tooltip: l.tooltip })),
      ),
    );
  },
};
