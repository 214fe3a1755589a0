// textDocument/selectionRange: smart selection from a link's parts out to its paragraph, sections and the article.
import type { SelectionRange } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const selectionRangesFeature: Feature = {
  name: 'selectionRanges',
  capabilities: () => ({ selectionRangeProvider: true }),
  register(ctx) {
    ctx.connection.onSelectionRanges(
      ctx.guard('textDocument/selectionRange', (params): SelectionRange[] => ctx.service.selectionRanges(ctx.toPath(params.textDocument.uri), params.positions)),
    );
  },
};
