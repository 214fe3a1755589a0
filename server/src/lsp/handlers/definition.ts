// textDocument/definition: link → article or heading, footnote reference → definition, glossary term → entry.
import type { Location } from 'vscode-languageserver/node';
import type { Feature } from '../context';

export const definition: Feature = {
  name: 'definition',
  capabilities: () => ({ definitionProvider: true }),
  register(ctx) {
    ctx.connection.onDefinition(
      ctx.guard('textDocument/definition', (params): Location[] | null => {
        const found = ctx.service.definition(ctx.toPath(params.textDocument.uri), params.position);
        return found.length ? found.map((l) => ({ uri: ctx.toUri(l.path), range: l.range })) : null;
      }),
    );
  },
};
