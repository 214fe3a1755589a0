// linkedArticles/backlinks {uri}: every link to an article, with the sentence it stands in (for a backlinks view).
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { BacklinksMethod, type BacklinksParams, type BacklinksResult } from '../protocol';

export const backlinks: Feature = {
  name: 'backlinks',
  register(ctx) {
    ctx.connection.onRequest(
      BacklinksMethod,
      ctx.guard(BacklinksMethod, (params: BacklinksParams, token): BacklinksResult => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${BacklinksMethod} needs { uri }`);
        const found = ctx.service.backlinks(ctx.toPath(params.uri), { isCancelled: () => token.isCancellationRequested });
        if (!found) return null;
        return found.map((b) => ({ uri: ctx.toUri(b.path), range: b.range, sentence: b.sentence, title: b.sourceTitle, ...(b.via ? { via: b.via } : {}) }));
      }),
    );
  },
};
