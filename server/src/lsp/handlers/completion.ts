// textDocument/completion: links being typed in any syntax (see core/features/completion.ts).
import type { CompletionList } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const completion: Feature = {
  name: 'completion',
  capabilities: () => ({ completionProvider: { triggerCharacters: ['[', '#', '^', '(', '"', "'", '/', ':'], resolveProvider: false } }),
  register(ctx) {
    ctx.connection.onCompletion(
      ctx.guard('textDocument/completion', (params): CompletionList | null => {
        const path = ctx.toPath(params.textDocument.uri);
        const list = ctx.service.completion(path, params.position, ctx.settings(path).completion.maxItems);
        return (list as CompletionList | undefined) ?? null;
      }),
    );
  },
};
