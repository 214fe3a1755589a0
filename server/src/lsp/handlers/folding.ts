// textDocument/foldingRange: heading sections, multi-line footnote definitions and the front matter fold.
import type { FoldingRange } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const folding: Feature = {
  name: 'folding',
  capabilities: () => ({ foldingRangeProvider: true }),
  register(ctx) {
    ctx.connection.onFoldingRanges(
      ctx.guard('textDocument/foldingRange', (params): FoldingRange[] => {
        const path = ctx.toPath(params.textDocument.uri);
        const limit = ctx.clientCapabilities.textDocument?.foldingRange?.rangeLimit;
        const ranges = ctx.service.foldingRanges(path);
        // A client may take no more than rangeLimit; ranges come sorted by line, so a cut keeps the top of the article.
        return limit !== undefined && ranges.length > limit ? ranges.slice(0, limit) : ranges;
      }),
    );
  },
};
