// linkedArticles/wanted and linkedArticles/rebuildIndex: the VS Code client's Wanted Articles view and Rebuild Index command.
import type { Feature } from '../context';
import { RebuildIndexMethod, WantedMethod, type WantedItem, type WantedParams } from '../protocol';

export const wanted: Feature = {
  name: 'wanted',
  register(ctx) {
    ctx.connection.onRequest(
      WantedMethod,
      ctx.guard(WantedMethod, (params: WantedParams | null | undefined): WantedItem[] => {
        const limit = typeof params?.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : Infinity;
        return ctx.service.wiki
          .wanted()
          .slice(0, limit)
          .map((w) => ({ name: w.name, count: w.links.length, sources: [...new Set(w.links.map((l) => ctx.toUri(l.source.path)))] }));
      }),
    );
    ctx.connection.onRequest(RebuildIndexMethod, ctx.guard(RebuildIndexMethod, () => ctx.rebuildIndex()));
  },
};
