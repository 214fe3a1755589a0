// linkedArticles/wanted, linkedArticles/orphans and linkedArticles/rebuildIndex: the VS Code client's Wanted and Orphaned Articles views and Rebuild Index command.
import type { CancellationToken } from 'vscode-languageserver/node';
import type { Feature, ServerContext } from '../context';
import { Cancelled } from '../guard';
import { OrphansMethod, RebuildIndexMethod, WANTED_SOURCES, WantedMethod, type OrphanItem, type OrphansParams, type WantedItem, type WantedParams } from '../protocol';

/** Long enough to make progress through 50,000 articles, short enough that a keystroke meanwhile waits for no more. */
const SLICE_MS = 5;

/** Waits for the complete index, then finds the list's parts in slices, hearing other requests and a cancel between them. */
async function prepare(ctx: ServerContext, list: 'wanted' | 'orphans', token: CancellationToken): Promise<void> {
  await ctx.service.whenReady();
  for (;;) {
    const end = performance.now() + SLICE_MS;
    if (ctx.service.wiki.warmList(list, () => performance.now() >= end)) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested) throw new Cancelled();
  }
}

function limitOf(params: { limit?: unknown } | null | undefined): number {
  return typeof params?.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : Infinity;
}

/** Both lists are about the whole wiki, so both wait for the complete index: from part of it, most links look broken and most articles unlinked. */
export const wanted: Feature = {
  name: 'wanted',
  register(ctx) {
    ctx.connection.onRequest(
      WantedMethod,
      ctx.guard(WantedMethod, async (params: WantedParams | null | undefined, token): Promise<WantedItem[]> => {
        await prepare(ctx, 'wanted', token);
        return ctx.service.wiki
          .wanted()
          .slice(0, limitOf(params))
          .map((w) => ({ name: w.name, count: w.count, sources: w.sources.slice(0, WANTED_SOURCES).map((a) => ctx.toUri(a.path)), sourceCount: w.sources.length }));
      }),
    );
    ctx.connection.onRequest(
      OrphansMethod,
      ctx.guard(OrphansMethod, async (params: OrphansParams | null | undefined, token): Promise<OrphanItem[]> => {
        await prepare(ctx, 'orphans', token);
        return ctx.service.wiki
          .orphans()
          .slice(0, limitOf(params))
          .map((a) => ({ uri: ctx.toUri(a.path), title: a.title }));
      }),
    );
    ctx.connection.onRequest(RebuildIndexMethod, ctx.guard(RebuildIndexMethod, () => ctx.rebuildIndex()));
  },
};
