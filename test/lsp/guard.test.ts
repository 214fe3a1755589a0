// The handler guard on its own: an internal error becomes a logged, contextual LSP error; cancellation is honoured.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { makeGuard } from '../../server/src/lsp/guard';

function fakeConnection(): { connection: Connection; errors: string[] } {
  const errors: string[] = [];
  return { connection: { console: { error: (m: string) => errors.push(m) } } as unknown as Connection, errors };
}

const params = { textDocument: { uri: 'file:///wiki/A.md' }, position: { line: 4, character: 2 } };

describe('The handler guard', () => {
  test('turns an internal error into an InternalError response and logs it with the request and place', async () => {
    const { connection, errors } = fakeConnection();
    const guarded = makeGuard(connection)('textDocument/hover', () => {
      throw new TypeError('boom');
    });
    await assert.rejects(guarded(params, new CancellationTokenSource().token), (e: unknown) => {
      assert.ok(e instanceof ResponseError);
      assert.equal(e.code, ErrorCodes.InternalError);
      assert.equal(e.message, 'Linked Articles: textDocument/hover failed: boom');
      return true;
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^textDocument\/hover failed file:\/\/\/wiki\/A\.md at 5:3: TypeError: boom/);
  });

  test('passes an LSP error through unchanged and does not log it as internal', async () => {
    const { connection, errors } = fakeConnection();
    const guarded = makeGuard(connection)('x', () => {
      throw new ResponseError(ErrorCodes.InvalidParams, 'bad');
    });
    await assert.rejects(guarded({}, new CancellationTokenSource().token), (e: unknown) => e instanceof ResponseError && e.code === ErrorCodes.InvalidParams);
    assert.deepEqual(errors, []);
  });

  test('does not run a request that was cancelled before it started', async () => {
    const { connection } = fakeConnection();
    let ran = false;
    const guarded = makeGuard(connection)('x', () => (ran = true));
    const source = new CancellationTokenSource();
    source.cancel();
    await assert.rejects(guarded({}, source.token), (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
    assert.equal(ran, false);
  });

  test('drops the answer of a request cancelled while it ran', async () => {
    const { connection } = fakeConnection();
    const source = new CancellationTokenSource();
    const guarded = makeGuard(connection)('x', async () => {
      source.cancel();
      return 'stale';
    });
    await assert.rejects(guarded({}, source.token), (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
  });

  test('returns the answer of a request that succeeds', async () => {
    const { connection } = fakeConnection();
    assert.equal(await makeGuard(connection)('x', () => 42)({}, new CancellationTokenSource().token), 42);
  });
});
