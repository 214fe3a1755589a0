// linkedArticles/graph {uri, depth?, maxNodes?, missing?}: an article's local graph, for a graph view.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { GraphChangedMethod, GraphMethod, type GraphParams, type GraphResult } from '../protocol';

/** How long after a change the client hears of it: a link typed letter by letter is one change. */
const CHANGED_AFTER_MS = 300;

export const graph: Feature = {
  name: 'graph',
  register(ctx) {
    // A graph view asked again after every keystroke cost a hub's graph (0.14–0.17 s at 50,000 articles) each time.
    let asked = false;
    let timer: NodeJS.Timeout | undefined;
    ctx.onWikiChanged(() => {
      if (!asked || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        asked = false;
        void ctx.connection.sendNotification(GraphChangedMethod);
      }, CHANGED_AFTER_MS);
      timer.unref?.();
    });
    ctx.connection.onRequest(
      GraphMethod,
      ctx.guard(GraphMethod, (params: GraphParams, token): GraphResult | null => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${GraphMethod} needs { uri }`);
        asked = true;
        const depth = clamp(params.depth, 1, 3, 1);
        const maxNodes = clamp(params.maxNodes, 2, 1000, 150);
        const found = ctx.service.graph(ctx.toPath(params.uri), { depth, maxNodes, missing: params.missing !== false }, { isCancelled: () => token.isCancellationRequested });
        if (!found) return null;
        return { nodes: found.nodes.map(({ path, ...n }) => (path ? { uri: ctx.toUri(path), ...n } : n)), edges: found.edges, truncated: found.truncated };
      }),
    );
  },
};

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(min, Math.min(max, Math.floor(value))) : fallback;
}
