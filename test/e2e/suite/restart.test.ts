// A crashed language server comes back: the client restarts it, the index is rebuilt, and features and views work again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient';
import { fileUri, hoverText, indexReady, openArticle, positionOf, waitFor } from './util';

suite('Server restart', () => {
  test('after the server process is killed while the editor sends it requests, it is restarted and features work again', async function () {
    this.timeout(90_000);
    const api = await indexReady();
    const editor = await openArticle('Anarchism.md');
    const before = api.client.serverProcess?.pid;
    assert.ok(before, 'the server runs in a process of its own');

    const states: State[] = [];
    const listener = api.client.onDidChangeState((e) => states.push(e.newState));
    try {
      process.kill(before, 'SIGKILL');
      // What an editor sends a server that has just died (hovers as the mouse moves, a view's refresh): each write
      // fails. The library's default error handler shut the client down for good at the fourth, and in CI the server
      // was then never restarted.
      const hoverAt = { textDocument: { uri: editor.document.uri.toString() }, position: { line: 0, character: 0 } };
      for (let i = 0; i < 30; i++) void api.client.sendRequest('textDocument/hover', hoverAt).catch(() => undefined);
      await waitFor('a new server process', () => {
        const pid = api.client.serverProcess?.pid;
        return api.client.state === State.Running && pid !== undefined && pid !== before;
      }, 30_000);
    } finally {
      listener.dispose();
    }
    assert.ok(states.includes(State.Starting) || states.includes(State.Stopped), `the client noticed the crash (states: ${states.join(', ')})`);

    // The new server indexes again: a link to an article that is not open resolves.
    const position = positionOf(editor.document, '[[Mutual Aid]]', 5);
    const text = await waitFor('a hover from the new server', async () =>
      hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position)).match(/voluntary, reciprocal/),
    30_000);
    assert.ok(text);
    const definition = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
    const target = definition[0] && ('targetUri' in definition[0] ? definition[0].targetUri : definition[0].uri);
    assert.equal(target?.fsPath, fileUri('Mutual_Aid.md').fsPath);

    // The Backlinks view asks the new server, not the dead one.
    api.backlinks.follow(editor);
    const sources = await waitFor('backlinks from the new server', async () => {
      const nodes = await api.backlinks.getChildren();
      return nodes.length > 0 && nodes;
    }, 30_000);
    assert.ok(sources.every((n) => n.kind === 'source' || n.kind === 'mentions'));
    await waitFor('the status bar to count the articles again', () => /\d+ articles/.test(api.status().text), 30_000);
  });
});
