// linkedArticles/graph {uri, depth?, maxNodes?, missing?}: an article's local graph, for a graph view.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { GraphMethod, type GraphParams, type GraphResult } from '../protocol';

export const graph: Feature = {
  name: 'graph',
  register(ctx) {
    ctx.connection.onRequest(
      GraphMethod,
      ctx.guard(GraphMethod, (params: GraphParams, token): GraphResult | null => {
        if (!params || typeof params.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${GraphMethod} needs { uri }`);
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
