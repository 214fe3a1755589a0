// The local graph of an article: the articles it links to and that link to it, out to a few steps, for a graph view.
import type { Article, Wiki } from '../wiki';

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
    const ranked = [...found.values()].sort((x, y) => y.links - x.links || rank(wiki, y) - rank(wiki, x) || nameOf(x).localeCompare(nameOf(y)));
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
  return { nodes, edges: edgesAmong(wiki, nodes, index, options.missing), truncated };
}

const nameOf = (n: Neighbour) => n.article?.title ?? n.missing ?? '';
const rank = (wiki: Wiki, n: Neighbour) => (n.article ? wiki.incomingCount(n.article, true) : 0);

/** The articles (and missing articles) an article links to, and the articles linking to it, each with how many links. */
function neighbours(wiki: Wiki, a: Article, missing: boolean): Neighbour[] {
  const out = new Map<string, Neighbour>();
  const count = (key: string, n: Omit<Neighbour, 'links' | 'key'>) => {
    const seen = out.get(key);
    if (seen) seen.links++;
    else out.set(key, { key, ...n, links: 1 });
  };
  for (const link of a.syntax.links) {
    const to = target(wiki, a, link, missing);
    if (to && to.key !== a.path) count(to.key, to);
  }
  for (const b of wiki.backlinksThrough(a)) {
    if (b.source.path === a.path || b.source.redirect !== undefined) continue;
    count(b.source.path, { article: b.source });
  }
  return [...out.values()];
}

/** Where a link leads, redirects followed: an article (by path), a missing article (by name), or nowhere to draw. */
function target(wiki: Wiki, from: Article, link: Article['syntax']['links'][number], missing: boolean): { key: string; article?: Article; missing?: string } | undefined {
  if (link.syntax === 'image' || !link.target) return undefined;
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
      const t = target(wiki, a, link, missing);
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
