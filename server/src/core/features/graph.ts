// The local graph of an article: the articles it links to and that link to it, out to a few steps, for a graph view.
import { isImageLink } from '../names';
import { linksWithKeys, type Article, type Wiki } from '../wiki';

export interface GraphNodeShape {
  /** The article's path; none for a missing article (a link's target that no article answers to). */
  path?: string;
  title: string;
  /** Steps from the article the graph is of (0 for it). */
  depth: number;
  /** How many articles link to it (through its redirect pages too), for sizing. */
  incoming: number;
}

export interface GraphEdgeShape {
  /** Indexes into the nodes. */
  from: number;
  to: number;
  /** How many links the one article has to the other. */
  links: number;
}

export interface GraphShape {
  nodes: GraphNodeShape[];
  edges: GraphEdgeShape[];
  /** Neighbours were left out to keep to `maxNodes`, the least linked first. */
  truncated: boolean;
}

export interface GraphOptions {
  /** How many steps out from the article (1–3). */
  depth: number;
  maxNodes: number;
  /** Whether links to missing articles appear, as nodes of their own. */
  missing: boolean;
  isCancelled?: () => boolean;
}

interface Neighbour {
  key: string;
  article?: Article;
  missing?: string;
  links: number;
}

/**
 * Breadth first from the article over links both ways; a redirect page stands for the article it leads to, and
 * links to it count as links to that article. At each step the most linked neighbours are taken first, so a hub
 * with thousands of backlinks shows its closest ones within `maxNodes`. The edges are every link among the nodes.
 */
export function localGraph(wiki: Wiki, center: Article, options: GraphOptions): GraphShape {
  const start = wiki.articles.get(center.path) ?? center;
  const index = new Map<string, number>();
  const nodes: GraphNodeShape[] = [];
  const add = (n: Neighbour, depth: number) => {
    index.set(n.key, nodes.length);
    nodes.push(n.article ? { path: n.article.path, title: n.article.title, depth, incoming: wiki.incomingCount(n.article, true) } : { title: n.missing!, depth, incoming: 0 });
  };
  add({ key: start.path, article: start, links: 0 }, 0);
  let truncated = false;
  let frontier: Article[] = [start];
  for (let depth = 1; depth <= options.depth && frontier.length && !truncated; depth++) {
    const found = new Map<string, Neighbour>();
    for (const a of frontier) {
      if (options.isCancelled?.()) return { nodes, edges: [], truncated: true };
      for (const n of neighbours(wiki, a, options.missing)) {
        if (index.has(n.key)) continue;
        const seen = found.get(n.key);
        if (seen) seen.links += n.links;
        else found.set(n.key, { ...n });
      }
    }
    // Ties go to the more linked article; its count is taken once per candidate (a hub's step has tens of thousands).
    const rankOf = new Map<Neighbour, number>();
    for (const n of found.values()) rankOf.set(n, n.article ? wiki.incomingCount(n.article) : 0);
    // Then by name, compared by code unit: localeCompare on a hub's 24,000 linkers was a fifth of its graph's time.
    const ranked = [...found.values()].sort((x, y) => y.links - x.links || rankOf.get(y)! - rankOf.get(x)! || (nameOf(x) < nameOf(y) ? -1 : nameOf(x) > nameOf(y) ? 1 : 0));
    const next: Article[] = [];
    for (const n of ranked) {
      if (nodes.length >= options.maxNodes) {
        truncated = true;
        break;
      }
      add(n, depth);
      if (n.article) next.push(n.article);
    }
    frontier = next;
  }
  return connected(nodes, edgesAmong(wiki, nodes, index, options.missing), truncated);
}

/** The graph without the nodes no edge reaches (found by a name that resolves elsewhere), edges renumbered. */
function connected(nodes: GraphNodeShape[], edges: GraphEdgeShape[], truncated: boolean): GraphShape {
  const linked = new Set<number>([0]);
  for (const e of edges) {
    linked.add(e.from);
    linked.add(e.to);
  }
  if (linked.size === nodes.length) return { nodes, edges, truncated };
  const renumber = new Map<number, number>();
  const kept: GraphNodeShape[] = [];
  nodes.forEach((n, i) => {
    if (!linked.has(i)) return;
    renumber.set(i, kept.length);
    kept.push(n);
  });
  return { nodes: kept, edges: edges.map((e) => ({ ...e, from: renumber.get(e.from)!, to: renumber.get(e.to)! })), truncated };
}

const nameOf = (n: Neighbour) => n.article?.title ?? n.missing ?? '';

const COUNTED_LINKERS = 1000;

/** The articles (and missing articles) an article links to, and the articles linking to it, each with how many links. */
function neighbours(wiki: Wiki, a: Article, missing: boolean): Neighbour[] {
  const out = new Map<string, Neighbour>();
  const count = (key: string, n: Omit<Neighbour, 'links' | 'key'>) => {
    const seen = out.get(key);
    if (seen) seen.links++;
    else out.set(key, { key, ...n, links: 1 });
  };
  for (const link of a.syntax.links) {
    const to = linkDestination(wiki, a, link, missing);
    if (to && to.key !== a.path) count(to.key, to);
  }
  // The articles whose links use one of its names or one of its redirect pages' names, their links not resolved: a hub
  // has tens of thousands (resolving them all took 0.9–1.3 s at 50,000 articles). The edges are resolved exactly once
  // the nodes are chosen, and a node with none is dropped (a name it uses that leads elsewhere, which is rare).
  const keys = [...a.keys];
  for (const r of wiki.redirectsTo(a)) keys.push(...r.keys);
  const linkers = wiki.linkersOfKeys(keys);
  // How many of its links use those names, decoded from a closed article's record alone, ranks a linker; past
  // COUNTED_LINKERS each counts once, as reading them all costs more than the ranking is worth (a hub at 10,000
  // articles: 70 ms counted, 30 ms not).
  const counted = linkers.size <= COUNTED_LINKERS;
  for (const source of linkers) {
    if (source.path === a.path || source.redirect !== undefined) continue;
    const links = counted ? linksWithKeys(source, keys, wiki.settings.caseMode).length : 1;
    if (links) out.set(source.path, { key: source.path, article: source, links: (out.get(source.path)?.links ?? 0) + links });
  }
  return [...out.values()];
}

/** Where a link leads, redirects followed: an article (by path), a missing article (by name), or nowhere to draw. */
export function linkDestination(wiki: Wiki, from: Article, link: Article['syntax']['links'][number], missing: boolean): { key: string; article?: Article; missing?: string } | undefined {
  if (isImageLink(link) || !link.target) return undefined;
  const r = wiki.resolveThrough(link, from);
  if (r.kind === 'article') return r.loop ? undefined : { key: r.article.path, article: r.article };
  if (r.kind === 'missing' && missing && !r.headingOnly) return { key: 'missing:' + r.key, missing: r.name };
  return undefined;
}

function edgesAmong(wiki: Wiki, nodes: GraphNodeShape[], index: Map<string, number>, missing: boolean): GraphEdgeShape[] {
  const edges = new Map<string, GraphEdgeShape>();
  nodes.forEach((node, from) => {
    if (!node.path) return;
    const a = wiki.articles.get(node.path);
    if (!a) return;
    for (const link of a.syntax.links) {
      const t = linkDestination(wiki, a, link, missing);
      const to = t && index.get(t.key);
      if (to === undefined || to === from) continue;
      const id = `${from}>${to}`;
      const e = edges.get(id);
      if (e) e.links++;
      else edges.set(id, { from, to, links: 1 });
    }
  });
  return [...edges.values()];
}
