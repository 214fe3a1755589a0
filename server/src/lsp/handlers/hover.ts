// textDocument/hover: link previews, footnote texts, glossary definitions, broken-link explanations (untrusted markdown).
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const hover: Feature = {
  name: 'hover',
  capabilities: () => ({ hoverProvider: true }),
  register(ctx) {
    ctx.connection.onHover(
      ctx.guard('textDocument/hover', (params): Hover | null => {
        const h = ctx.service.hover(ctx.toPath(params.textDocument.uri), params.position, ctx.imagePreviews ? (path) => ctx.toUri(path) : undefined);
        return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
      }),
    );
  },
};
