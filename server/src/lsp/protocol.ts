// The server's custom protocol, in one typed file that the VS Code client may import too (no LSP runtime imports here).

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

/** `linkedArticles/backlinks`: every link to the article at `uri`, from every article. */
export const BacklinksMethod = 'linkedArticles/backlinks';
export interface BacklinksParams {
  uri: string;
}
export interface BacklinkItem {
  /** The article the link is in. */
  uri: string;
  /** The link's range in it. */
  range: LspRange;
  /** The sentence the link stands in, as plain text ('' when the file could not be read). */
  sentence: string;
  /** The title of the article the link is in. */
  title: string;
  /** When the link names a redirect page that leads to the article: that page's title. */
  via?: string;
}
export type BacklinksResult = BacklinkItem[] | null;

/** `linkedArticles/status` (server → client notification): the index's state, for a status bar. */
export const StatusMethod = 'linkedArticles/status';
export interface StatusParams {
  state: 'indexing' | 'ready';
  /** Files indexed so far, and how many there are (both 0 before listing finishes). */
  done: number;
  total: number;
  /** Articles in the index now. */
  articles: number;
}

/** `linkedArticles/wanted` `{ limit? }`: missing articles, the most wanted first (for a Wanted Articles view). */
export const WantedMethod = 'linkedArticles/wanted';
export interface WantedParams {
  limit?: number;
}
export interface WantedItem {
  /** The name the links use, `_` read as a space. */
  name: string;
  /** How many links want it. */
  count: number;
  /** The articles with those links, each once, by path; the first WANTED_SOURCES of them. */
  sources: string[];
  /** How many articles have those links. */
  sourceCount: number;
}

/**
 * The most linking articles a wanted item names: a target wanted by thousands of articles had thousands of URIs in
 * each answer, which the view shows ten of.
 */
export const WANTED_SOURCES = 20;

/** `linkedArticles/orphans` `{ limit? }`: articles no other article links to, by title (for an Orphaned Articles view). */
export const OrphansMethod = 'linkedArticles/orphans';
export interface OrphansParams {
  limit?: number;
}
export interface OrphanItem {
  uri: string;
  title: string;
}

/** `linkedArticles/tags` `{ limit? }`: the tags in use, most used first (for a Tags view). */
export const TagsMethod = 'linkedArticles/tags';
export interface TagsParams {
  limit?: number;
}
export interface TagItem {
  /** As most of the articles with it write it, without the `#`. */
  name: string;
  /** How many articles have it. */
  count: number;
}

/** `linkedArticles/tagged` `{ tag }`: the articles a tag is on (whatever its case), by title. */
export const TaggedMethod = 'linkedArticles/tagged';
export interface TaggedParams {
  tag: string;
}
/** An article a tag is on: as an orphan is named, by its URI and title. */
export type TaggedItem = OrphanItem;

/**
 * `linkedArticles/categories` `{ limit? }`: the categories articles are put in (by `[[Category:X]]` or pandoc's
 * anchors), most used first, as TagItems (`name` without `Category:`); `linkedArticles/categoryMembers`
 * `{ category }`: the articles in one, by title, whether it has a page of its own or not.
 */
export const CategoriesMethod = 'linkedArticles/categories';
export const CategoryMembersMethod = 'linkedArticles/categoryMembers';
export interface CategoryMembersParams {
  category: string;
}

/**
 * `linkedArticles/graph`: the local graph of the article at `uri` (features/graph.ts), for a graph view: the articles
 * it links to and that link to it, out to `depth` steps (1–3, default 1), at most `maxNodes` (default 150, at most 1,000).
 */
export const GraphMethod = 'linkedArticles/graph';
export interface GraphParams {
  uri: string;
  depth?: number;
  maxNodes?: number;
  /** Whether links to missing articles appear as nodes (default true). */
  missing?: boolean;
}
export interface GraphNode {
  /** The article's URI; none for a missing article. */
  uri?: string;
  title: string;
  depth: number;
  /** How many articles link to it. */
  incoming: number;
}
export interface GraphResult {
  nodes: GraphNode[];
  /** `from` and `to` index the nodes; `links` is how many links the one has to the other. */
  edges: { from: number; to: number; links: number }[];
  truncated: boolean;
}

/**
 * `linkedArticles/outgoing` `{ uri }`: what the article links to, and the other articles its plain text names without
 * linking them (features/outgoing.ts), as Obsidian's Outgoing links pane shows them; `null` for a file not in the wiki.
 */
export const OutgoingMethod = 'linkedArticles/outgoing';
export interface OutgoingParams {
  uri: string;
}
export interface OutgoingLinkItem {
  /** The article the links lead to, redirect pages followed; none when it is missing. */
  uri?: string;
  /** Its title, or the missing article's name. */
  title: string;
  /** The article's links to it, in reading order. */
  ranges: LspRange[];
}
export interface OutgoingMentionItem {
  /** The article named, redirect pages followed. */
  uri: string;
  title: string;
  /** How many places name it; `places` holds the first 20. */
  count: number;
  /**
   * `target`: the page the words name (the article or a redirect page to it), the `target` of the command
   * `linkedArticles.linkMention` `{ uri, range, target }` that links them.
   */
  places: { range: LspRange; text: string; context: string; target: string }[];
}
export interface OutgoingResult {
  /** In the order of their first link. */
  links: OutgoingLinkItem[];
  /** In the order of their first mention. */
  mentions: OutgoingMentionItem[];
  /** False when the search for mentions stopped before the article's end (its time budget, about a second). */
  complete: boolean;
}

/**
 * `linkedArticles/graphChanged` (notification, no params): links, names or articles changed since the last graph was
 * asked for, so a graph shown may be out of date. Sent only to a client that has asked for a graph, a moment after the
 * change (not for an edit that left every link as it was: most keystrokes).
 */
export const GraphChangedMethod = 'linkedArticles/graphChanged';

/**
 * `linkedArticles/dropLinks` `{ uri, uris }`: the text to insert when the files `uris` are dropped into the article
 * `uri` (VS Code's drop into the editor): a link to each, written as the article writes links, separated by spaces;
 * `null` when none can be linked so (outside the wiki, another workspace folder, a kind of file the wiki does not link
 * to), and the editor's own drop takes over.
 */
/**
 * `linkedArticles/linkToHere` `{ uri, position }` → `{ link, kind } | null`: the link to where the position is, as
 * the wiki writes links: to its heading, to its paragraph or list item by its block id (given one first, through
 * `workspace/applyEdit`, when it has none), or to the article (`kind`: `heading`, `block`, `article`); null when the
 * file is not part of the wiki or the client did not apply the id.
 */
export const LinkToHereMethod = 'linkedArticles/linkToHere';
export interface LinkToHereParams {
  uri: string;
  position: LspPosition;
}
export interface LinkToHereResult {
  link: string;
  kind: 'article' | 'heading' | 'block';
}

export const DropLinksMethod = 'linkedArticles/dropLinks';
export interface DropLinksParams {
  uri: string;
  uris: string[];
}

/**
 * `linkedArticles/previewLinks` `{ uri }`: where the article's links lead, for a markdown preview (VS Code's own draws
 * `[[…]]` as text, and follows a MediaWiki name as a path from the article's folder): every wiki link, and each markdown
 * link or anchor that leads to an article or file; `null` for a file not in the wiki.
 */
export const PreviewLinksMethod = 'linkedArticles/previewLinks';
export interface PreviewLinksParams {
  uri: string;
}
export interface PreviewLink {
  /** `wiki`: a `[[…]]` or `![[…]]`; `markdown`: a markdown link or definition; `html`: an `<a href>`. */
  kind: 'wiki' | 'markdown' | 'html';
  /** What the brackets hold before any `|`, or the destination or `href`, as written: the key a renderer finds it by. */
  written: string;
  /** The article or file it leads to (through redirects); none when it leads nowhere. */
  uri?: string;
  /** The heading's slug (or the HTML id) in that article. */
  fragment?: string;
  image?: boolean;
  title: string;
  /** For an embed of an article (`![[Note]]`, `![[Note#Section]]`, `![[Note#^block]]`): the markdown it shows. */
  embed?: string;
}

/** `linkedArticles/rebuildIndex`: reads the workspace again from scratch; answers when the new index is complete. */
export const RebuildIndexMethod = 'linkedArticles/rebuildIndex';

/** `linkedArticles/unlinkedMentions` `{ uri, limit? }`: where the article's title or an alias stands as plain text, unlinked. */
export const UnlinkedMentionsMethod = 'linkedArticles/unlinkedMentions';
export interface UnlinkedMentionsParams {
  uri: string;
  /** At most this many (default 1000); with `partialResultToken`, batches arrive as `$/progress` and the answer is []. */
  limit?: number;
  partialResultToken?: string | number;
}
export interface UnlinkedMentionItem {
  /** The article the mention is in. */
  uri: string;
  range: LspRange;
  /** The words as written. */
  text: string;
  /** The title or alias they match. */
  name: string;
  /** The sentence they stand in, as plain text. */
  context: string;
}
export type UnlinkedMentionsResult = UnlinkedMentionItem[] | null;

/** Command `linkedArticles.linkMention` with one `{ uri, range, target }` argument: turns that mention into a link to `target` (an article's URI). */
export const LinkMentionCommand = 'linkedArticles.linkMention';
export interface LinkMentionArgs {
  uri: string;
  range: LspRange;
  target: string;
}

/**
 * Command `linkedArticles.linkFirstMentions` with one `{ uri }` argument: links the first mention of each article the
 * article names without linking it yet (what `linkedArticles/outgoing` lists), in one edit; answers
 * `{ applied, linked }`, how many were linked.
 */
export const LinkFirstMentionsCommand = 'linkedArticles.linkFirstMentions';

/**
 * Command `linkedArticles.addBlockId` with one `{ uri, start, key, id }` argument: ends a paragraph or list item of
 * that article with ` ^id` (Obsidian's block id). A completion item after `[[Page#^` that links to a block without an
 * id carries it as its command; `start` and `key` name the block (where it started, a hash of its text).
 */
export const AddBlockIdCommand = 'linkedArticles.addBlockId';
export interface AddBlockIdCommandArgs {
  uri: string;
  start: number;
  key: number;
  id: string;
}
