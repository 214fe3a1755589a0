// Load test: types into a 50 KB article at 100 changes per second for 30 s while asking for completion and hover, then checks diagnostics latency, memory and errors and prints the figures.
// Usage: npm run load [-- --seconds 30 --rate 100 --articles 2000]
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestClient, copyWiki, ensureBuilt, waitFor } from '../test/lsp/harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = arg('--seconds', 30);
const RATE = arg('--rate', 100);
const ARTICLES = arg('--articles', 2000);
const REQUEST_EVERY_MS = 100;
const DIAGNOSTICS_BOUND_MS = 200;

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** The LSP position of an offset (LF-only text, as this script writes it). */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

async function main(): Promise<void> {
  ensureBuilt();
  const root = copyWiki();
  // A wiki big enough that completion ranks real numbers of titles.
  for (let i = 0; i < ARTICLES; i++) {
    fs.writeFileSync(path.join(root, `Topic_${i}.md`), `# Topic ${i}\n\nAbout topic ${i}. See [[Topic ${(i * 7) % ARTICLES}]] and [[Anarchism]].\n\n## Part ${i}\n`);
  }
  const paragraph = 'The [[Anarchism|anarchists]] of the commune practised [[Mutual Aid]] and wrote about [[Capitalism#Critiques]]; some links are [[Still Missing]].[^1] ';
  let text = '# Load\n\n';
  while (text.length < 50 * 1024) text += paragraph.repeat(4) + '\n\n';
  text += '[^1]: A note.\n\n';
  const file = path.join(root, 'Load.md');
  fs.writeFileSync(file, text);

  const client = new TestClient({ folders: [root] });
  const pid = client.child.pid!;
  await client.initialize();
  await client.ready(120_000);
  const u = client.open(file, text);
  await client.diagnostics(u, () => true, 1, 30_000);

  const typed = 'Typing [[Mut ual Aid]] and [[Topic 1';
  const hoverAt = positionAt(text, text.indexOf('[[Mutual Aid]]') + 3);
  let cursor = text.lastIndexOf('[^1]:') - 2;
  const latencies = { completion: [] as number[], hover: [] as number[] };
  const errors: string[] = [];
  const pending: Promise<unknown>[] = [];
  const rss: { t: number; mb: number }[] = [];
  const versions: number[] = [];
  let lastVersion = 1;
  let changes = 0;

  const start = performance.now();
  const total = SECONDS * RATE;
  let nextRequest = start;
  let nextSample = start;
  for (let n = 0; n < total; n++) {
    // Keystrokes at absolute times, so a slow moment is caught up rather than spread.
    const due = start + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Mostly typing; every 25th keystroke a backspace, as writers correct themselves.
    if (n % 25 === 24 && cursor > 0) {
      const from = positionAt(text, cursor - 1);
      const to = positionAt(text, cursor);
      text = text.slice(0, cursor - 1) + text.slice(cursor);
      cursor--;
      lastVersion = client.change(u, '', { start: from, end: to });
    } else {
      const ch = typed[n % typed.length];
      const at = positionAt(text, cursor);
      text = text.slice(0, cursor) + ch + text.slice(cursor);
      cursor++;
      lastVersion = client.change(u, ch, { start: at, end: at });
    }
    changes++;
    const now = performance.now();
    if (now >= nextRequest) {
      nextRequest += REQUEST_EVERY_MS;
      const t0 = performance.now();
      pending.push(
        client.request('textDocument/completion', { textDocument: { uri: u }, position: positionAt(text, cursor) }).then(
          () => latencies.completion.push(performance.now() - t0),
          (e: { code?: number; message?: string }) => {
            // A completion overtaken by typing may be cancelled or refused as stale; anything else is an error.
            if (e.code !== -32800 && e.code !== -32801) errors.push(`completion: ${e.code} ${e.message}`);
          },
        ),
      );
      const t1 = performance.now();
      pending.push(
        client.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: hoverAt }).then(
          (h) => {
            latencies.hover.push(performance.now() - t1);
            if (!h) errors.push('hover on [[Mutual Aid]] answered nothing');
          },
          (e: { code?: number; message?: string }) => {
            if (e.code !== -32800 && e.code !== -32801) errors.push(`hover: ${e.code} ${e.message}`);
          },
        ),
      );
    }
    if (now >= nextSample) {
      nextSample += 1000;
      rss.push({ t: (now - start) / 1000, mb: rssMB(pid) });
    }
  }
  const lastKeystroke = performance.now();
  const typingSeconds = (lastKeystroke - start) / 1000;
  let diagnosticsMs = NaN;
  try {
    await waitFor('diagnostics for the last version', () => (client.diagnosticsOf(u)?.version ?? 0) >= lastVersion, 10_000);
    diagnosticsMs = performance.now() - lastKeystroke;
  } catch (e) {
    errors.push((e as Error).message);
  }
  await Promise.all(pending);
  for (const p of client.published) if (p.uri === u && p.version !== undefined) versions.push(p.version);
  const stale = versions.filter((v, i) => i > 0 && v < versions[i - 1]).length;
  // The text the server holds must be the text typed: its diagnostics name exactly the broken links of our text.
  const expectedBroken = (text.match(/\[\[Still Missing\]\]/g) ?? []).length;
  const published = client.diagnosticsOf(u)?.diagnostics ?? [];
  const brokenStill = published.filter((d) => d.message === "No article named 'Still Missing'").length;
  rss.push({ t: typingSeconds, mb: rssMB(pid) });
  const internalErrors = client.logs.filter((l) => l.type === 1).map((l) => l.message);
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });

  // Memory is flat when the last third of the run uses no more than the second third, give or take the GC's swing.
  const third = Math.max(1, Math.floor(rss.length / 3));
  const middle = Math.max(...rss.slice(third, 2 * third).map((r) => r.mb));
  const last = Math.max(...rss.slice(2 * third).map((r) => r.mb));
  const flat = last <= middle * 1.15 + 10;

  const figures = {
    wiki: `${ARTICLES} generated articles besides the fixture's; Load.md 50 KB at the start, ${(text.length / 1024).toFixed(1)} KB at the end`,
    typing: `${changes} changes in ${typingSeconds.toFixed(1)} s (${(changes / typingSeconds).toFixed(0)}/s)`,
    diagnostics: `last version ${lastVersion} published ${diagnosticsMs.toFixed(0)} ms after the last keystroke (bound ${DIAGNOSTICS_BOUND_MS} ms); ${versions.length} publications, ${stale} out of order`,
    completion: `${latencies.completion.length} answered, p50 ${percentile(latencies.completion, 50).toFixed(1)} ms, p95 ${percentile(latencies.completion, 95).toFixed(1)} ms, max ${Math.max(...latencies.completion).toFixed(1)} ms`,
    hover: `${latencies.hover.length} answered, p50 ${percentile(latencies.hover, 50).toFixed(1)} ms, p95 ${percentile(latencies.hover, 95).toFixed(1)} ms, max ${Math.max(...latencies.hover).toFixed(1)} ms`,
    memory: `server RSS ${rss[0].mb.toFixed(0)} MB at start, ${middle.toFixed(0)} MB peak in the middle third, ${last.toFixed(0)} MB peak in the last third (${flat ? 'flat' : 'GROWING'}); samples: ${rss.map((r) => r.mb.toFixed(0)).join(' ')}`,
    text: `the server's diagnostics name ${brokenStill} of the ${expectedBroken} [[Still Missing]] links typed`,
    errors: `${errors.length} request errors, ${internalErrors.length} internal errors logged`,
  };
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(12)} ${v}`);
  const failures: string[] = [];
  if (!(diagnosticsMs <= DIAGNOSTICS_BOUND_MS)) failures.push(`diagnostics for the last version took ${diagnosticsMs.toFixed(0)} ms`);
  if (stale) failures.push(`${stale} diagnostics publications went back to an older version`);
  if (!flat) failures.push('memory grew');
  if (brokenStill !== expectedBroken) failures.push('the server holds a different text from the one typed');
  if (errors.length) failures.push(`request errors: ${errors.slice(0, 5).join('; ')}`);
  if (internalErrors.length) failures.push(`internal errors: ${internalErrors.slice(0, 3).join('; ')}`);
  if (failures.length) {
    console.log(`\nFAILED:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log('\nok');
  process.exit(0);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
