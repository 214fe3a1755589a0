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

  test('gives the server a storage folder for its index cache, created beforehand', async () => {
    const api = await vscode.extensions.getExtension<LinkedArticlesApi>(EXTENSION_ID)!.activate();
    await api.ready;
    const options = api.client.clientOptions.initializationOptions as { storagePath?: string } | undefined;
    assert.ok(options?.storagePath, 'initializationOptions.storagePath is set');
    assert.ok(path.isAbsolute(options.storagePath), options.storagePath);
    assert.ok(fs.statSync(options.storagePath).isDirectory(), `${options.storagePath} exists`);
  });

  test('is sent no semantic tokens, which would recolour what the grammar colours', async () => {
    const api = await vscode.extensions.getExtension<LinkedArticlesApi>(EXTENSION_ID)!.activate();
    await api.ready;
    assert.equal(api.client.initializeResult?.capabilities.semanticTokensProvider, undefined);
    const editor = await openArticle('Mutual_Aid.md');
    assert.equal(await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', editor.document.uri), undefined);
  });

  test('contributes its commands to the command palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['showBacklinks', 'showOutgoingLinks', 'createArticle', 'showWantedArticles', 'showOrphanedArticles', 'rebuildIndex']) {
      assert.ok(commands.includes(`linkedArticles.${id}`), `linkedArticles.${id} is registered`);
    }
  });
});
