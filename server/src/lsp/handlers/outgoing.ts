// linkedArticles/outgoing {uri}: an article's outgoing links and the articles its text names unlinked (command linkedArticles.linkMention, in commands.ts, links one).
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Outgoing } from '../../core/service';
import type { Feature } from '../context';
import { OutgoingMethod, type OutgoingParams, type OutgoingResult } from '../protocol';

/**
 * The search runs in slices of about this long, other messages answered between them: the view asks again after each
 * pause in typing, and a 1 MB article's search (230–410 ms) had kept its keystrokes waiting.
 */
const SLICE_MS = 8;
/** A search the wiki changed under this many times runs to its end in one go the next time, so it ends. */
const RESTARTS = 4;

export const outgoing: Feature = {
  name: 'outgoing',
  register(ctx) {
    ctx.connection.onRequest(
      OutgoingMethod,
      ctx.guard(OutgoingMethod, async (params: OutgoingParams, token): Promise<OutgoingResult | null> => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${OutgoingMethod} needs { uri }`);
        // A name is a mention only once every article's names are known.
        await ctx.service.whenReady();
        const path = ctx.toPath(params.uri);
        const isCancelled = () => token.isCancellationRequested;
        let found: Outgoing | undefined;
        for (let attempt = 0; !found; attempt++) {
          const search = ctx.service.outgoingSearch(path, { isCancelled });
          if (!search) return null;
          let sliceEnd = performance.now() + SLICE_MS;
          for (;;) {
            const step = search.steps.next();
            if (step.done) {
              found = step.value;
              break;
            }
            if (attempt >= RESTARTS || performance.now() < sliceEnd) continue;
            await new Promise((resolve) => setImmediate(resolve));
            // An edit meanwhile (a keystroke in the article, say) would leave the places where the text was.
            if (!search.current()) break;
            sliceEnd = performance.now() + SLICE_MS;
          }
        }
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
