// textDocument/completion: links being typed in any syntax (see core/features/completion.ts).
import type { CompletionItem, CompletionList } from 'vscode-languageserver/node';
import type { CompletionItemShape } from '../../core/features/shapes';
import type { Feature } from '../context';

export const completion: Feature = {
  name: 'completion',
  capabilities: () => ({ completionProvider: { triggerCharacters: ['[', '#', '^', '(', '"', "'", '/', ':'], resolveProvider: true } }),
  register(ctx) {
    ctx.connection.onCompletion(
      ctx.guard('textDocument/completion', (params): CompletionList | null => {
        const path = ctx.toPath(params.textDocument.uri);
        const list = ctx.service.completion(path, params.position, ctx.settings(path).completion.maxItems);
        return (list as CompletionList | undefined) ?? null;
      }),
    );
    // The documentation (the article's lead) is read only for the item the editor shows.
    ctx.connection.onCompletionResolve(
      ctx.guard('completionItem/resolve', (item): CompletionItem => ctx.service.resolveCompletion(item as unknown as CompletionItemShape) as unknown as CompletionItem),
    );
  },
};
