// One full garbage collection once the server falls quiet after indexing, so that its memory at rest is what the index holds.
// The build leaves tens of megabytes of garbage (the workers' transferred batches, the cache writer's pieces) that V8
// counts until its next full collection, which an idle editor may not cause for minutes: a process that had indexed
// the 10,000-article bench wiki sat at 225 MB with 47 MB of live heap, and at about 160 MB once collected. The collector exists only
// when node runs with --expose-gc, as the VS Code client starts the server (README: Neovim and Helix may add it).
let timer: NodeJS.Timeout | undefined;

/**
 * Collects once, `delayMs` after the last call: a full collection of the index's heap takes tens of milliseconds.
 * The delay is long enough for V8 to also give back its young generation (32 MB): it shrinks it at a collection only
 * once its measure of the allocation rate, taken over the last 5 s, has fallen low. A collection 3 s after the cache
 * was written left it at full size, and the 10,000-article bench server then sat at 170 MB for minutes instead of
 * 137–142 MB (measured 4 December; on its own, a process that had allocated 100 MB shrank it at a collection after
 * 6 s of quiet, never after 5 s).
 */
export function collectWhenIdle(delayMs = 8000): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    gc();
  }, delayMs);
  timer.unref();
}
