// linkedArticles/outgoing {uri}: an article's outgoing links and the articles its text names unlinked (command linkedArticles.linkMention, in commands.ts, links one).
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { OutgoingMethod, type OutgoingParams, type OutgoingResult } from '../protocol';

export const outgoing: Feature = {
  name: 'outgoing',
  register(ctx) {
    ctx.connection.onRequest(
      OutgoingMethod,
      ctx.guard(OutgoingMethod, async (params: OutgoingParams, token): Promise<OutgoingResult | null> => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${OutgoingMethod} needs { uri }`);
        // A name is a mention only once every article's names are known.
        await ctx.service.whenReady();
        const found = ctx.service.outgoing(ctx.toPath(params.uri), { isCancelled: () => token.isCancellationRequested });
        if (!found) return null;
        return {
          links: found.links.map((l) => ({ ...(l.target ? { uri: ctx.toUri(l.target.path) } : {}), title: l.name, ranges: l.links.map((x) => x.range) })),
          mentions: found.mentions.mentions.map((m) => ({
            uri: ctx.toUri(m.article.path),
            title: m.article.title,
            count: m.count,
            places: m.places.map((p) => ({ range: p.range, text: p.text, context: p.context, target: ctx.toUri(p.target.path) })),
          })),
          complete: found.mentions.complete,
        };
      }),
    );
  },
};
