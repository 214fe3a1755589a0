// The custom messages between the client and the Linked Articles server (mirrors server/src/server.ts; keep in step).
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageclient';
import type { Range } from 'vscode-languageclient';

export interface UriParams {
  /** The article, as a document URI. */
  uri: string;
}

/** One link to an article from another (or the same) article. */
export interface Backlink {
  /** The article that holds the link. */
  source: string;
  /** The link itself, in the source. */
  range: Range;
  /** The sentence the link stands in, as plain text. */
  sentence: string;
}

/** A place where the article's title or an alias appears as plain text, not linked. */
export interface UnlinkedMention {
  uri: string;
  range: Range;
  text: string;
}

/** A missing article that links want. */
export interface WantedArticle {
  /** The name the links use, with `_` read as spaces. */
  name: string;
  /** How many links want it. */
  count: number;
  /** The articles that hold those links (document URIs, each once). */
  sources: string[];
}

/** The index's progress: `indexing` while the workspace is read, then `ready`. */
export interface StatusParams {
  state: 'indexing' | 'ready';
  /** Files read so far, and in all, while indexing. */
  done: number;
  total: number;
  /** Articles in the index. */
  articles: number;
}

export const backlinksRequest = new RequestType<UriParams, Backlink[], void>('linkedArticles/backlinks');
export const unlinkedMentionsRequest = new RequestType<UriParams, UnlinkedMention[], void>('linkedArticles/unlinkedMentions');
export interface WantedParams {
  /** At most this many, the most wanted first. */
  limit?: number;
}

export const wantedRequest = new RequestType<WantedParams, WantedArticle[], void>('linkedArticles/wanted');
/** Drops the index and reads the workspace again; answers once the new index is complete. */
export const rebuildIndexRequest = new RequestType0<void, void>('linkedArticles/rebuildIndex');
export const statusNotification = new NotificationType<StatusParams>('linkedArticles/status');
