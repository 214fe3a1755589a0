// linkedArticles/unlinkedMentions {uri}: where an article's title or alias stands unlinked (command linkedArticles.linkMention, in commands.ts, links one).
import { ErrorCodes, ProgressType, ResponseError } from 'vscode-languageserver/node';
import { MentionIndex, mentionsOf } from '../../core/features/mentions';
import type { Wiki } from '../../core/wiki';
import type { Feature, ServerContext } from '../context';
import { documentReader } from '../editing';
import {
  UnlinkedMentionsMethod,
  type UnlinkedMentionItem,
  type UnlinkedMentionsParams,
  type UnlinkedMentionsResult,
} from '../protocol';

const DEFAULT_LIMIT = 1000;
const TIME_BUDGET_MS = 5000;
const BATCH = 100;

/** One word index per index generation (a rebuilt wiki is a new Wiki object), brought up to date before each search. */
const indexes = new WeakMap<Wiki, { index: MentionIndex; syncing?: Promise<number> }>();

async function currentIndex(ctx: ServerContext, isCancelled: () => boolean): Promise<MentionIndex> {
  const wiki = ctx.service.wiki;
  let entry = indexes.get(wiki);
  if (!entry) indexes.set(wiki, (entry = { index: new MentionIndex() }));
  // Two requests at once share one pass over the changed articles; a second pass then catches edits made meanwhile.
  if (entry.syncing) await entry.syncing;
  const e = entry;
  e.syncing = e.index.sync(wiki, documentReader(ctx), { sliceMs: 20, isCancelled }).finally(() => (e.syncing = undefined));
  await e.syncing;
  return e.index;
}

export const mentionsFeature: Feature = {
  name: 'unlinkedMentions',
  register(ctx) {
    ctx.connection.onRequest(
      UnlinkedMentionsMethod,
      ctx.guard(UnlinkedMentionsMethod, async (params: UnlinkedMentionsParams, token): Promise<UnlinkedMentionsResult> => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${UnlinkedMentionsMethod} needs { uri }`);
        const path = ctx.toPath(params.uri);
        const article = ctx.service.wiki.articles.get(path);
        if (!article) return null;
        const isCancelled = () => token.isCancellationRequested;
        const index = await currentIndex(ctx, isCancelled);
        const limit = typeof params.limit === 'number' && params.limit > 0 ? Math.floor(params.limit) : DEFAULT_LIMIT;
        const deadline = performance.now() + TIME_BUDGET_MS;
        const stream = params.partialResultToken !== undefined;
        const all: UnlinkedMentionItem[] = [];
        let batch: UnlinkedMentionItem[] = [];
        const flush = () => {
          if (stream && batch.length) void ctx.connection.sendProgress(new ProgressType<UnlinkedMentionItem[]>(), params.partialResultToken!, batch);
          batch = [];
        };
        for (const m of mentionsOf(ctx.service.wiki, article, { read: documentReader(ctx), index })) {
          const item = { uri: ctx.toUri(m.path), range: m.range, text: m.text, name: m.name, context: m.context };
          all.push(item);
          batch.push(item);
          if (batch.length >= BATCH) flush();
          if (all.length >= limit || isCancelled()) break;
          if (performance.now() > deadline) {
            ctx.connection.console.warn(`${UnlinkedMentionsMethod}: stopped after ${TIME_BUDGET_MS} ms with ${all.length} mentions of ${article.title}`);
            break;
          }
        }
        flush();
        return stream ? [] : all;
      }),
    );

  },
};
