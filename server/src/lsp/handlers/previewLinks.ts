// linkedArticles/previewLinks {uri}: where an article's wiki links and embeds lead, for the client's markdown preview.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { PreviewLinksMethod, type PreviewLink, type PreviewLinksParams } from '../protocol';

export const previewLinks: Feature = {
  name: 'previewLinks',
  register(ctx) {
    ctx.connection.onRequest(
      PreviewLinksMethod,
      ctx.guard(PreviewLinksMethod, (params: PreviewLinksParams): PreviewLink[] | null => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${PreviewLinksMethod} needs { uri }`);
        const links = ctx.service.previewLinks(ctx.toPath(params.uri));
        return links ? links.map(({ path, ...l }) => (path ? { uri: ctx.toUri(path), ...l } : l)) : null;
      }),
    );
  },
};
