// linkedArticles/linkToHere {uri, position}: the link to where the cursor is, for the client's "Copy Link" command; a block without an id is given one first.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { EditRefused } from '../../core/edits';
import { addBlockIdEdit } from '../../core/features/blocks';
import type { Feature } from '../context';
import { documentReader, forClient, refusal } from '../editing';
import { LinkToHereMethod, type LinkToHereParams, type LinkToHereResult } from '../protocol';

export const linkToHere: Feature = {
  name: 'linkToHere',
  register(ctx) {
    ctx.connection.onRequest(
      LinkToHereMethod,
      ctx.guard(LinkToHereMethod, async (params: LinkToHereParams): Promise<LinkToHereResult | null> => {
        if (!params || typeof params.uri !== 'string' || typeof params.position?.line !== 'number' || typeof params.position?.character !== 'number') {
          throw new ResponseError(ErrorCodes.InvalidParams, `${LinkToHereMethod} needs { uri, position }`);
        }
        // How the wiki writes links is the whole index's to tell.
        await ctx.service.whenReady();
        const path = ctx.toPath(params.uri);
        const here = ctx.service.linkToHere(path, params.position);
        if (!here) return null;
        if (here.addBlockId) {
          let core;
          try {
            core = addBlockIdEdit(ctx.service.wiki, documentReader(ctx), here.addBlockId, (p) => ctx.toUri(p));
          } catch (e) {
            if (e instanceof EditRefused) refusal(e);
            throw e;
          }
          const edit = core && forClient(core, ctx.clientCapabilities);
          // A link to an id the paragraph does not get would be a broken link: none is given.
          if (core && (!edit || !(await ctx.connection.workspace.applyEdit({ label: `Add the block id ${here.addBlockId.id}`, edit })).applied)) return null;
        }
        return { link: here.link, kind: here.kind };
      }),
    );
  },
};
