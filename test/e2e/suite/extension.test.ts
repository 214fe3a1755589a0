// The extension in a real VS Code: activation and the start of its language server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LinkedArticlesApi } from '../../../client/src/extension';
import { EXTENSION_ID, openArticle, waitFor } from './util';

suite('Extension', () => {
  test('activates the extension when a markdown file is opened', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in the extension host`);

    const editor = await openArticle('Glossary.md');
    assert.equal(editor.document.languageId, 'markdown');

    await waitFor('the extension to activate', () => extension.isActive);
    const api = extension.exports as { client?: unknown; ready?: Promise<void> } | undefined;
    assert.ok(api?.client, 'the extension exports its language client');
    assert.ok(api?.ready instanceof Promise, 'the extension exports a promise of the client being ready');
  });

  test('starts the language server', async function () {
    const extension = vscode.extensions.getExtension<LinkedArticlesApi>(EXTENSION_ID);
    assert.ok(extension);
    if (!fs.existsSync(path.join(extension.extensionPath, 'dist', 'server.js'))) {
      this.skip(); // the server is not built yet (dist/server.js): nothing to start
    }
    const api = await extension.activate();
    await api.ready;
    assert.ok(api.client.isRunning(), 'the language client is running');
    assert.ok(api.client.initializeResult?.capabilities, 'the server answered initialize with its capabilities');
  });
});
