// The floor `check` is compared with: read every markdown file with readFileSync and run one regular-expression pass over it.
// Plain JavaScript, started like the command line (`node bench/floor.mjs <folder>`), so both pay the same start-up.
import { readdirSync, readFileSync } from 'node:fs';

const LINKISH = /\[\[[^\]\n]*\]\]|\]\([^)\n]*\)|href="[^"]*"|\[\^[^\]\s]+\]/g;

let files = 0;
let matches = 0;
let bytes = 0;
const stack = [process.argv[2] ?? '.'];
while (stack.length) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = dir + '/' + e.name;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') stack.push(p);
    } else if (e.name.endsWith('.md')) {
      const text = readFileSync(p, 'utf8');
      bytes += text.length;
      files++;
      for (const _ of text.matchAll(LINKISH)) matches++;
    }
  }
}
process.stdout.write(JSON.stringify({ files, bytes, matches }) + '\n');
