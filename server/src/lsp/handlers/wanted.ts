// linkedArticles/wanted, linkedArticles/orphans and linkedArticles/rebuildIndex: the VS Code client's Wanted and Orphaned Articles views and Rebuild Index command.
import type { Feature } from '../context';
import { OrphansMethod, RebuildIndexMethod, WantedMethod, type OrphanItem, type OrphansParams, type WantedItem, type WantedParams } from '../protocol';

function limitOf(params: { limit?: unknown } | null | undefined): number {
  return typeof params?.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : Infinity;
}

/** Both lists are about the whole wiki, so both wait for the complete index: from part of it, most links look broken and most articles unlinked. */
export const wanted: Feature = {
  name: 'wanted',
  register(ctx) {
    ctx.connection.onRequest(
      WantedMethod,
      ctx.guard(WantedMethod, async (params: WantedParams | null | undefined): Promise<WantedItem[]> => {
        await ctx.service.whenReady();
        return ctx.service.wiki
          .wanted()
          .slice(0, limitOf(params))
          .map((w) => ({ name: w.name, count: w.count, sources: w.sources.map((a) => ctx.toUri(a.path)) }));
      }),
    );
    ctx.connection.onRequest(
      OrphansMethod,
      ctx.guard(OrphansMethod, async (params: OrphansParams | null | undefined): Promise<OrphanItem[]> => {
        await ctx.service.whenReady();
        return ctx.service.wiki
          .orphans()
          .slice(0, limitOf(params))
          .map((a) => ({ uri: ctx.toUri(a.path), title: a.title }));
      }),
    );
    ctx.connection.onRequest(RebuildIndexMethod, ctx.guard(RebuildIndexMethod, () => ctx.rebuildIndex()));
  },
};
