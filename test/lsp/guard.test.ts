// The handler guard on its own: an internal error becomes a logged, contextual LSP error; cancellation is honoured.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { makeGuard, RequestsInFlight } from '../../server/src/lsp/guard';

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

  test('counts a request from its start to its answer, and background work waiting for a quiet turn goes on only after the answer', async () => {
    const { connection } = fakeConnection();
    const inFlight = new RequestsInFlight();
    const order: string[] = [];
    let finish!: () => void;
    const guarded = makeGuard(connection, inFlight)('x', () => new Promise<string>((resolve) => (finish = () => (order.push('answered'), resolve('done')))));
    const answer = guarded({}, new CancellationTokenSource().token);
    assert.equal(inFlight.answering, 1);
    const quiet = inFlight.quietTurn(60_000).then(() => order.push('background'));
    // Several turns of the event loop pass while the request is still being answered: the background waits.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, []);
    finish();
    assert.equal(await answer, 'done');
    await quiet;
    assert.deepEqual(order, ['answered', 'background']);
    assert.equal(inFlight.answering, 0);
  });

  test('a request that began after the background asked for its turn is waited for too', async () => {
    const { connection } = fakeConnection();
    const inFlight = new RequestsInFlight();
    const order: string[] = [];
    let finish!: () => void;
    const quiet = inFlight.quietTurn(60_000).then(() => order.push('background'));
    // Read in the same turn, as a request is while a slice of background work runs.
    const answer = makeGuard(connection, inFlight)('x', () => new Promise<void>((resolve) => (finish = () => (order.push('answered'), resolve()))))({}, new CancellationTokenSource().token);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, []);
    finish();
    await answer;
    await quiet;
    assert.deepEqual(order, ['answered', 'background']);
  });

  test('a failed or cancelled request is counted out too, and a long poll is never counted', async () => {
    const { connection } = fakeConnection();
    const inFlight = new RequestsInFlight();
    const guard = makeGuard(connection, inFlight);
    await assert.rejects(guard('x', () => { throw new Error('boom'); })({}, new CancellationTokenSource().token));
    const source = new CancellationTokenSource();
    source.cancel();
    await assert.rejects(guard('x', () => 1)({}, source.token));
    assert.equal(inFlight.answering, 0);
    let finish!: () => void;
    const poll = guard('workspace/diagnostic', () => new Promise<void>((resolve) => (finish = resolve)), { longPoll: true })({}, new CancellationTokenSource().token);
    assert.equal(inFlight.answering, 0);
    await inFlight.quietTurn(60_000);
    finish();
    await poll;
  });

  test('background work waits no longer than it was told for a request that takes long', async () => {
    const { connection } = fakeConnection();
    const inFlight = new RequestsInFlight();
    let finish!: () => void;
    const answer = makeGuard(connection, inFlight)('x', () => new Promise<void>((resolve) => (finish = resolve)))({}, new CancellationTokenSource().token);
    const t0 = performance.now();
    await inFlight.quietTurn(30);
    assert.ok(performance.now() - t0 >= 25, 'it waited for the request a while');
    assert.equal(inFlight.answering, 1, 'and went on while the request was still being answered');
    finish();
    await answer;
  });

  test('background work that stopped waiting for a request that never ends is not kept waiting on it', async () => {
    const { connection } = fakeConnection();
    const inFlight = new RequestsInFlight();
    void makeGuard(connection, inFlight)('x', () => new Promise<void>(() => undefined))({}, new CancellationTokenSource().token);
    for (let slice = 0; slice < 5; slice++) await inFlight.quietTurn(1);
    assert.equal(inFlight.answering, 1, 'the request is still being answered');
    assert.equal(inFlight.waiting, 0, 'and no finished wait is left behind for it');
  });
});
