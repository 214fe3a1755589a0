// linkedArticles/dropLinks {uri, uris}: the links to insert for files dropped into an article, for the client's drop provider.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { DropLinksMethod, type DropLinksParams } from '../protocol';

export const dropLinks: Feature = {
  name: 'dropLinks',
  register(ctx) {
    ctx.connection.onRequest(
      DropLinksMethod,
      ctx.guard(DropLinksMethod, async (params: DropLinksParams): Promise<string | null> => {
        if (!params || typeof params.uri !== 'string' || !Array.isArray(params.uris) || params.uris.some((u) => typeof u !== 'string')) {
          throw new ResponseError(ErrorCodes.InvalidParams, `${DropLinksMethod} needs { uri, uris }`);
        }
        // How the wiki writes links, and which names lead where, want the whole index.
        await ctx.service.whenReady();
        // Only files: a dropped web address or another scheme is left to the editor.
        const paths = params.uris.filter((u) => u.startsWith('file:')).map((u) => ctx.toPath(u));
        return ctx.service.dropLinks(ctx.toPath(params.uri), paths) ?? null;
      }),
    );
  },
};
