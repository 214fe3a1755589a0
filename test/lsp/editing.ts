// Helpers for the editing protocol tests: a client that can apply workspace edits, and applying them to the fixture's texts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApplyWorkspaceEditParams, ClientCapabilities, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, type WorkspaceEdit as CoreEdit } from '../../server/src/core/edits';
import { ALL_CAPABILITIES, FIXTURE_WIKI, TestClient, uri } from './harness';

/**
 * A client that applies workspace edits, started on the fixture wiki (not initialized yet), and the server's
 * workspace/applyEdit requests it answered as applied, for the test to read.
 */
export function editingClient(): { client: TestClient; applyRequests: ApplyWorkspaceEditParams[] } {
  const client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: EDITING_CAPABILITIES });
  const applyRequests: ApplyWorkspaceEditParams[] = [];
  client.connection.onRequest('workspace/applyEdit', (p: ApplyWorkspaceEditParams) => {
    applyRequests.push(p);
    return { applied: true };
  });
  return { client, applyRequests };
}

export const EDITING_CAPABILITIES: ClientCapabilities = {
  ...ALL_CAPABILITIES,
  workspace: {
    ...ALL_CAPABILITIES.workspace,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    fileOperations: { willRename: true },
  },
  textDocument: {
    ...ALL_CAPABILITIES.textDocument,
    rename: { prepareSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite'] } }, isPreferredSupport: true },
  },
};

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');

/** Every article of the fixture wiki by URI, as the client would hold them. */
export function fixtureTexts(root = FIXTURE_WIKI): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.set(uri(p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

/** Applies an edit as a client does (versions checked against the open documents) and returns the texts by file name. */
export function applied(edit: WorkspaceEdit, texts = fixtureTexts(), versions = new Map<string, number>()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [u, t] of applyWorkspaceEdit(texts, edit as CoreEdit, versions)) out[path.relative(FIXTURE_WIKI, new URL(u).pathname)] = t;
  return out;
}

