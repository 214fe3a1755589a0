// Work written as generators that yield between steps: run at once (the command line) or in turns (a server, which answers requests between them).

/** Runs steps to their end at once. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs steps to their end, giving up this thread's turn every `sliceMs` (to `pause`, the next turn by default), so
 * that a server answers requests meanwhile.
 */
export async function inTurns<T>(steps: Generator<void, T>, sliceMs: number, pause: () => Promise<void> = nextTurn): Promise<T> {
  let t = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - t < sliceMs) continue;
    await pause();
    t = performance.now();
  }
}

/**
 * Sorts `items` by `compare`, stably, a step at a time (runs of `step` items sorted at once, then merged pairwise,
 * about `step` items a step): the ranking of 50,000 titles sorted at once held a server for its whole sort. The
 * sorted items are returned, in `items` or in an array of the same length.
 */
export function* sortInSteps<T>(items: T[], compare: (a: T, b: T) => number, step = 2048): Generator<void, T[]> {
  let from = items;
  for (let lo = 0; lo < from.length; lo += step) {
    const run = from.slice(lo, lo + step).sort(compare);
    for (let k = 0; k < run.length; k++) from[lo + k] = run[k];
    yield;
  }
  let to = new Array<T>(from.length);
  for (let width = step; width < from.length; width *= 2) {
    let written = 0;
    for (let lo = 0; lo < from.length; lo += 2 * width) {
      const mid = Math.min(lo + width, from.length);
      const hi = Math.min(lo + 2 * width, from.length);
      let i = lo;
      let j = mid;
      let k = lo;
      // The left run's item first when the two are equal: the sort stays stable.
      while (i < mid && j < hi) {
        to[k++] = compare(from[j], from[i]) < 0 ? from[j++] : from[i++];
        if (++written % step === 0) yield;
      }
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}
