// linkedArticles/wanted, /orphans, /tags, /tagged, /categories, /categoryMembers and /rebuildIndex: the VS Code client's Explorer views and Rebuild Index command.
import type { CancellationToken } from 'vscode-languageserver/node';
import type { Feature, ServerContext } from '../context';
import { Cancelled } from '../guard';
import { CategoriesMethod, CategoryMembersMethod, OrphansMethod, RebuildIndexMethod, TaggedMethod, TagsMethod, WANTED_SOURCES, WantedMethod, type OrphanItem, type TaggedItem, type TagItem, type WantedItem } from '../protocol';
import { nameKey, tagKey } from '../../core/names';
import { taggedArticles } from '../../core/features/tags';

/** Long enough to make progress through 50,000 articles, short enough that a keystroke meanwhile waits for no more. */
const SLICE_MS = 5;

/**
 * Answers a list about the whole wiki: after the complete index (from part of it, most links look broken and most
 * articles unlinked), its parts found in slices between which other requests and a cancel are heard, then the first
 * `limit` items.
 */
function serveList<T, I>(ctx: ServerContext, method: string, list: 'wanted' | 'orphans', all: () => T[], item: (t: T) => I): void {
  ctx.connection.onRequest(
    method,
    ctx.guard(method, async (params: { limit?: unknown } | null | undefined, token: CancellationToken): Promise<I[]> => {
      await ctx.service.whenReady();
      for (;;) {
        const end = performance.now() + SLICE_MS;
        if (ctx.service.wiki.warmList(list, () => performance.now() >= end)) break;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (token.isCancellationRequested) throw new Cancelled();
      }
      const limit = typeof params?.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : Infinity;
      return all().slice(0, limit).map(item);
    }),
  );
}

export const wanted: Feature = {
  name: 'wanted',
  register(ctx) {
    serveList(ctx, WantedMethod, 'wanted', () => ctx.service.wiki.wanted(), (w): WantedItem => ({
      name: w.name,
      count: w.count,
      // By path, sorted only for the items answered: most of a large wiki's wanted list is never shown.
      sources: w.sources
        .map((a) => a.path)
        .sort()
        .slice(0, WANTED_SOURCES)
        .map((p) => ctx.toUri(p)),
      sourceCount: w.sources.length,
    }));
    serveList(ctx, OrphansMethod, 'orphans', () => ctx.service.wiki.orphans(), (a): OrphanItem => ({ uri: ctx.toUri(a.path), title: a.title }));
    // Tags: read from the complete index, as the other lists are (a tag seen on half the wiki is half its count).
    ctx.connection.onRequest(
      TagsMethod,
      ctx.guard(TagsMethod, async (params: { limit?: unknown } | null | undefined): Promise<TagItem[]> => {
        await ctx.service.whenReady();
        const limit = typeof params?.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : Infinity;
        return ctx.service.wiki.tagUse().slice(0, limit).map((t) => ({ name: t.name, count: t.count }));
      }),
    );
    ctx.connection.onRequest(
      TaggedMethod,
      ctx.guard(TaggedMethod, async (params: { tag?: unknown } | null | undefined): Promise<TaggedItem[]> => {
        await ctx.service.whenReady();
        if (typeof params?.tag !== 'string') return [];
        return taggedArticles(ctx.service.wiki, tagKey(params.tag.replace(/^#/, ''))).map((a) => ({ uri: ctx.toUri(a.path), title: a.title }));
      }),
    );
    // Categories, as tags are: MediaWiki's way of labelling articles.
    ctx.connection.onRequest(
      CategoriesMethod,
      ctx.guard(CategoriesMethod, async (params: { limit?: unknown } | null | undefined): Promise<TagItem[]> => {
        await ctx.service.whenReady();
        const limit = typeof params?.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : Infinity;
        // Counted as the view lists them, by the articles put in each (not `[[:Category:X]]`, which only links to it):
        // owasp-wiki's 670 categories, 6,085 memberships, in 35 ms.
        const { wiki } = ctx.service;
        return ctx.service.titles
          .getCategories(wiki)
          .map((c) => ({ name: c.name, count: wiki.categoryMembers(nameKey(`Category:${c.name}`, wiki.settings.caseMode)).length }))
          .filter((c) => c.count > 0)
          .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
          .slice(0, limit);
      }),
    );
    ctx.connection.onRequest(
      CategoryMembersMethod,
      ctx.guard(CategoryMembersMethod, async (params: { category?: unknown } | null | undefined): Promise<TaggedItem[]> => {
        await ctx.service.whenReady();
        if (typeof params?.category !== 'string') return [];
        const key = nameKey(`Category:${params.category.replace(/^:?category:/i, '')}`, ctx.service.wiki.settings.caseMode);
        return ctx.service.wiki.categoryMembers(key).map((a) => ({ uri: ctx.toUri(a.path), title: a.title }));
      }),
    );
    ctx.connection.onRequest(RebuildIndexMethod, ctx.guard(RebuildIndexMethod, () => ctx.rebuildIndex()));
  },
};
