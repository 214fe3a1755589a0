// Entry point of the end-to-end suite: the extension host calls `run()` (extensionTestsPath).
// It runs every compiled *.test.js next to it with mocha, and works the same in the VS Code
// server driven by test/e2e/run.mjs and in a desktop VS Code started by @vscode/test-electron.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // Stack traces of failures point at test/e2e/suite/*.ts, not at the bundles in out/e2e/.
  process.setSourceMapsEnabled(true);
  // The chat panel takes a third of the window in screenshots; tests never need it.
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);

  const mocha = new Mocha({
    ui: 'tdd',
    color: false, // the output goes through the extension host's console into run.mjs's log
    timeout: Number(process.env.LINKED_ARTICLES_E2E_TEST_TIMEOUT ?? 30_000),
    grep: process.env.LINKED_ARTICLES_E2E_GREP || undefined,
  });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  // Marks the start of the suite's output for run.mjs, which drops the workbench's log before it.
  console.log('E2E-START');
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        // One machine-readable line, counted by run.mjs for its summary.
        const stats = { passed: runner.stats?.passes ?? 0, failed: failures, pending: runner.stats?.pending ?? 0 };
        console.log(`E2E-RESULT ${JSON.stringify(stats)}`);
        if (failures > 0) reject(new Error(`${failures} end-to-end test(s) failed.`));
        else resolve();
      });
    } catch (error) {
      console.error(error);
      reject(error);
    }
  });
}
