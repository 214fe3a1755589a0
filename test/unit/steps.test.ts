// Work done a step at a time: the stepwise sort against Array.prototype.sort, and running steps in turns.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { finish, inTurns, sortInSteps } from '../../server/src/core/steps';

/** A small seeded generator (mulberry32), so a failure can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Sorting a step at a time', () => {
  test('gives the order a stable sort gives, equal items kept in their first order, for lengths around the step', () => {
    const next = random(20261207);
    for (const length of [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1000]) {
      // Few distinct keys, so that many items are equal and stability shows.
      const items = Array.from({ length }, (_, i) => ({ key: Math.floor(next() * 5), i }));
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = [...items].sort(byKey).map((x) => x.i);
      const sorted = finish(sortInSteps([...items], byKey, 8)).map((x) => x.i);
      assert.deepEqual(sorted, expected, `${length} items`);
    }
  });

  test('yields between its runs and its merges', () => {
    const items = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    let steps = 0;
    const sorting = sortInSteps(items, (a, b) => a - b, 10);
    let step = sorting.next();
    for (; !step.done; step = sorting.next()) steps++;
    assert.deepEqual(step.value, Array.from({ length: 100 }, (_, i) => i));
    assert.ok(steps >= 10 + 4, `10 runs and 4 rounds of merges: ${steps} steps`);
  });

  test('steps run in turns let another turn of the event loop in between', async () => {
    const order: string[] = [];
    function* work(): Generator<void, string> {
      for (let i = 0; i < 3; i++) {
        order.push(`step ${i}`);
        yield;
      }
      return 'done';
    }
    const done = inTurns(work(), 0);
    setImmediate(() => order.push('another turn'));
    assert.equal(await done, 'done');
    assert.ok(order.indexOf('another turn') > 0 && order.indexOf('another turn') < order.length - 1, order.join(', '));
  });
});
