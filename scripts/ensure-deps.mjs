// Makes `npm start` and `npm test` work on a fresh clone: installs the npm dependencies (and, for tests, Chromium and Neovim) when missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const forTests = process.argv.includes('--tests');
const run = (cmd) => {
  console.log(`ensure-deps: ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
};
const has = (bin) => {
  try {
    execSync(`command -v ${bin}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (!existsSync('node_modules/.package-lock.json')) run('npm ci --no-audit --no-fund');

if (forTests) {
  const missing = [];
  if (!has('chromium')) missing.push('chromium');
  if (!has('nvim')) missing.push('neovim');
  if (missing.length) {
    if (process.getuid?.() === 0 && has('apt-get')) {
      run('apt-get update -qq');
      run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`);
    } else {
      console.warn(`ensure-deps: ${missing.join(' and ')} not installed; the real-editor tests need them (apt-get install ${missing.join(' ')})`);
    }
  }
}
