// `npm test`: builds once, then runs every suite (unit, protocol, Neovim, real VS Code) even when one fails, and sums up.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const suites = [
  ['build', 'node', ['esbuild.mjs']],
  // The real VS Code is installed first: the grammar's unit test also reads VS Code's own markdown grammar from it.
  ['setup', 'bash', ['test/e2e/setup.sh']],
  ['unit', 'node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...globFiles('test/unit')]],
  ['protocol', 'node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...globFiles('test/lsp')]],
  ['neovim', 'node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...globFiles('test/nvim')]],
  ['vscode', 'node', ['test/e2e/run.mjs', '--no-build']],
];

function globFiles(dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`);
}

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of suites) {
  if (only.length && name !== 'build' && name !== 'setup' && !only.includes(name)) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ').slice(0, 120)}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const status = r.status ?? 1;
  results.push({ name, status, s: ((Date.now() - t0) / 1000).toFixed(1) });
  if ((name === 'build' || name === 'setup') && status !== 0) break;
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(9)} ${r.s} s`);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
