// The custom messages between the client and the Linked Articles server, typed from the server's own protocol file.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageclient';
import type { Range } from 'vscode-languageclient';
import {
  BacklinksMethod,
  CategoriesMethod,
  CategoryMembersMethod,
  DropLinksMethod,
  GraphChangedMethod,
  GraphMethod,
  LinkToHereMethod,
  OrphansMethod,
  OutgoingMethod,
  PreviewLinksMethod,
  RebuildIndexMethod,
  StatusMethod,
  TaggedMethod,
  TagsMethod,
  WantedMethod,
  type BacklinkItem,
  type BacklinksParams,
  type CategoryMembersParams,
  type DropLinksParams,
  type GraphParams,
  type GraphResult,
  type LinkToHereParams,
  type LinkToHereResult,
  type OrphanItem,
  type OrphansParams,
  type OutgoingLinkItem,
  type OutgoingMentionItem,
  type OutgoingParams,
  type OutgoingResult,
  type PreviewLink,
  type PreviewLinksParams,
  type StatusParams,
  type TaggedItem,
  type TaggedParams,
  type TagItem,
  type TagsParams,
  type WantedItem,
  type WantedParams,
} from '../../server/src/lsp/protocol';

export type { BacklinkItem, GraphResult, OrphanItem, OrphansParams, OutgoingLinkItem, OutgoingMentionItem, OutgoingResult, PreviewLink, StatusParams, TaggedItem, TagItem, WantedItem, WantedParams };

/** A place where the article's title or an alias appears as plain text, not linked. */
export interface UnlinkedMention {
  uri: string;
  range: Range;
  /** The words as written. */
  text: string;
  /** The sentence they stand in, when the server sends it. */
  context?: string;
}

export const backlinksRequest = new RequestType<BacklinksParams, BacklinkItem[] | null, void>(BacklinksMethod);
export const unlinkedMentionsRequest = new RequestType<{ uri: string }, UnlinkedMention[] | null, void>('linkedArticles/unlinkedMentions');
export const wantedRequest = new RequestType<WantedParams, WantedItem[], void>(WantedMethod);
export const orphansRequest = new RequestType<OrphansParams, OrphanItem[], void>(OrphansMethod);
export const tagsRequest = new RequestType<TagsParams, TagItem[], void>(TagsMethod);
export const taggedRequest = new RequestType<TaggedParams, TaggedItem[], void>(TaggedMethod);
export const categoriesRequest = new RequestType<TagsParams, TagItem[], void>(CategoriesMethod);
export const categoryMembersRequest = new RequestType<CategoryMembersParams, TaggedItem[], void>(CategoryMembersMethod);
export const outgoingRequest = new RequestType<OutgoingParams, OutgoingResult | null, void>(OutgoingMethod);
export const graphRequest = new RequestType<GraphParams, GraphResult | null, void>(GraphMethod);
export const linkToHereRequest = new RequestType<LinkToHereParams, LinkToHereResult | null, void>(LinkToHereMethod);
export const dropLinksRequest = new RequestType<DropLinksParams, string | null, void>(DropLinksMethod);
export const previewLinksRequest = new RequestType<PreviewLinksParams, PreviewLink[] | null, void>(PreviewLinksMethod);
export const rebuildIndexRequest = new RequestType0<void, void>(RebuildIndexMethod);
export const statusNotification = new NotificationType<StatusParams>(StatusMethod);
export const graphChangedNotification = new NotificationType<void>(GraphChangedMethod);
