// How the language server's node process is started: by the VS Code client, and by the benchmark that stands in for it.

/** --expose-gc: the server collects once after indexing, so its memory at rest is the index's (server/src/lsp/idleGc.ts). */
export const SERVER_EXEC_ARGV = ['--expose-gc'];

/**
 * MALLOC_TRIM_THRESHOLD_ fixes glibc's trim threshold at its default, 128 KB, which also turns off its dynamic
 * adjustment. Without it, each large block freed raises the threshold to twice that block's size, and the index
 * workers' arenas then keep the memory they no longer use. Measured through /proc/<pid>/smaps on the 10,000-article
 * bench wiki: 147–149 MB at rest without it, 139 MB with it. Other C libraries ignore the variable.
 */
export const SERVER_ENV: Record<string, string> = { MALLOC_TRIM_THRESHOLD_: '131072' };
