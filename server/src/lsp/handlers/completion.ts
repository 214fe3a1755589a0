// textDocument/completion: links being typed in any syntax (see core/features/completion.ts).
import type { CompletionItem, CompletionList } from 'vscode-languageserver/node';
import type { CompletionItemShape } from '../../core/features/shapes';
import type { Feature } from '../context';
import { Cancelled } from '../guard';
import { AddBlockIdCommand, type AddBlockIdCommandArgs } from '../protocol';
import { WARM_SLICE_MS } from './symbols';

export const completion: Feature = {
  name: 'completion',
  capabilities: () => ({ completionProvider: { triggerCharacters: ['[', '#', '^', '(', '"', "'", '/', ':'], resolveProvider: true } }),
  register(ctx) {
    ctx.connection.onCompletion(
      ctx.guard('textDocument/completion', async (params, token): Promise<CompletionList | null> => {
        const path = ctx.toPath(params.textDocument.uri);
        // `[[##`: the heading keys a first search needs are made in slices, as workspace/symbol makes them.
        if (ctx.service.searchesHeadings(path, params.position)) {
          while (!ctx.service.warmWorkspaceSymbols(WARM_SLICE_MS)) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (token.isCancellationRequested) throw new Cancelled();
          }
        }
        const list = ctx.service.completion(path, params.position, ctx.settings(path).completion.maxItems);
        if (!list) return null;
        for (const item of list.items) {
          if (!item.addBlockId) continue;
          const { path: target, start, key, id } = item.addBlockId;
          delete item.addBlockId;
          const args: AddBlockIdCommandArgs = { uri: ctx.toUri(target), start, key, id };
          (item as CompletionItem).command = { title: 'Add the block id', command: AddBlockIdCommand, arguments: [args] };
        }
        return list as CompletionList;
      }),
    );
    // The documentation (the article's lead) is read only for the item the editor shows.
    ctx.connection.onCompletionResolve(
      ctx.guard('completionItem/resolve', (item): CompletionItem => ctx.service.resolveCompletion(item as unknown as CompletionItemShape) as unknown as CompletionItem),
    );
  },
};
