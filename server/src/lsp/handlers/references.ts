// textDocument/references: the links to an article (from a link or its title), to a heading, or a footnote's references.
import type { Location } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const references: Feature = {
  name: 'references',
  capabilities: () => ({ referencesProvider: true }),
  register(ctx) {
    ctx.connection.onReferences(
      ctx.guard('textDocument/references', (params, token): Location[] | null => {
        const found = ctx.service.references(ctx.toPath(params.textDocument.uri), params.position, !!params.context?.includeDeclaration, {
          isCancelled: () => token.isCancellationRequested,
        });
        return found.map((l) => ({ uri: ctx.toUri(l.path), range: l.range }));
      }),
    );
  },
};
