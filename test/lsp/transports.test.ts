// The server with other clients: over IPC (as VS Code starts it), with several workspace folders, without dynamic
// registration (it then watches the folders itself), and with requests that are cancelled.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Location } from 'vscode-languageserver-protocol';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-languageserver-protocol/node';
import { ALL_CAPABILITIES, FIXTURE_WIKI, SERVER, TestClient, copyWiki, ensureBuilt, uri, waitFor } from './harness';

describe('Other clients', () => {
  test('a client speaking over IPC (node-ipc) gets answers', async () => {
    ensureBuilt();
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: uri(FIXTURE_WIKI), name: 'wiki' }] })) as {
        capabilities: { hoverProvider?: boolean };
      };
      assert.equal(result.capabilities.hoverProvider, true);
      await connection.sendNotification('initialized', {});
      const doc = uri(path.join(FIXTURE_WIKI, 'Capitalism.md'));
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: doc, languageId: 'markdown', version: 1, text: fs.readFileSync(path.join(FIXTURE_WIKI, 'Capitalism.md'), 'utf8') } });
      const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: doc } })) as { name: string }[];
      assert.equal(symbols[0].name, 'Capitalism');
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });

  test('links resolve within each of several workspace folders, and backlinks stay in their folder', async () => {
    ensureBuilt();
    const second = copyWiki();
    fs.writeFileSync(path.join(second, 'Only_Here.md'), '# Only Here\n\nSee [[Anarchism]].\n');
    const client = new TestClient({ folders: [FIXTURE_WIKI, second] });
    try {
      await client.initialize();
      await client.ready();
      assert.equal(client.status.at(-1)!.articles, 19);
      const doc = client.open(path.join(second, 'Only_Here.md'));
      const def = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: doc }, position: { line: 2, character: 7 } });
      assert.deepEqual(def.map((l) => l.uri), [uri(path.join(second, 'Anarchism.md'))]);
      const items = (client.configurationRequests[0] as { items: { scopeUri: string }[] }).items.map((i) => i.scopeUri);
      assert.deepEqual(items, [uri(FIXTURE_WIKI), uri(second)]);
    } finally {
      await client.stop();
      fs.rmSync(second, { recursive: true, force: true });
    }
  });

  test('without dynamic registration the server watches the folders itself', async () => {
    ensureBuilt();
    const wiki = copyWiki();
    const client = new TestClient({ folders: [wiki], capabilities: { ...ALL_CAPABILITIES, workspace: { configuration: true } } });
    try {
      await client.initialize();
      await client.ready();
      assert.deepEqual(client.registrations, []);
      const doc = client.open(path.join(wiki, 'Scratch.md'), '# Scratch\n\n[[Appears Later]]\n');
      await client.diagnostics(doc, (d: Diagnostic[]) => d.length === 1);
      fs.writeFileSync(path.join(wiki, 'Appears_Later.md'), '# Appears Later\n');
      await client.diagnostics(doc, (d: Diagnostic[]) => d.length === 0);
      fs.rmSync(path.join(wiki, 'Appears_Later.md'));
      await client.diagnostics(doc, (d: Diagnostic[]) => d.length === 1);
    } finally {
      await client.stop();
      fs.rmSync(wiki, { recursive: true, force: true });
    }
  });

  test('a cancelled request is answered with RequestCancelled, and the server goes on', async () => {
    ensureBuilt();
    const client = new TestClient({ folders: [FIXTURE_WIKI] });
    try {
      await client.initialize();
      await client.ready();
      const { CancellationTokenSource } = await import('vscode-languageserver-protocol/node');
      const source = new CancellationTokenSource();
      // The server is paused while the request and its cancellation are written, so it reads both before it can
      // answer: otherwise it may rightly answer first, and the test would depend on timing. The connection writes
      // on a later turn of the event loop, so the test watches the pipe for the cancellation itself: an empty
      // buffer alone was true before anything had been written, and the test then failed in 4 of 30 runs.
      const stdin = client.child.stdin!;
      let cancelWritten = false;
      const write = stdin.write.bind(stdin) as (...args: unknown[]) => boolean;
      stdin.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (String(chunk).includes('$/cancelRequest')) cancelWritten = true;
        return write(chunk, ...rest);
      }) as typeof stdin.write;
      client.child.kill('SIGSTOP');
      let answer: Promise<unknown>;
      try {
        answer = client.connection.sendRequest('workspace/symbol', { query: 'a' }, source.token);
        source.cancel();
        await waitFor('the request and its cancellation to be written', () => cancelWritten && stdin.writableLength === 0, 5000);
      } finally {
        client.child.kill('SIGCONT');
      }
      await assert.rejects(answer, (e: { code?: number }) => e.code === -32800);
      const after = await client.request<unknown[]>('workspace/symbol', { query: 'Anarchism' });
      assert.ok(after.length > 0);
    } finally {
      await client.stop();
    }
  });

  test('a server that loses its client exits instead of lingering', async () => {
    ensureBuilt();
    const client = new TestClient({ folders: [FIXTURE_WIKI] });
    await client.initialize();
    client.child.stdin!.end();
    await waitFor('the server to exit', () => client.child.exitCode !== null || client.child.signalCode !== null, 5000);
    client.connection.dispose();
  });
});
