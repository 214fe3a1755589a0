// Edits across the wiki through VS Code's own commands: a rename applied and checked on disk, and the create-article quick fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, fileUri, indexReady, openArticle, positionOf, saveDirtyDocuments, waitFor } from './util';

const onDisk = (relativePath: string) => fs.readFileSync(fileUri(relativePath).fsPath, 'utf8');

suite('Workspace edits', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await indexReady();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('renaming an article from a link renames its file and rewrites every link to it, on disk', async function () {
    this.timeout(60_000);
    const editor = await openArticle('Mutual_Aid.md');
    const position = positionOf(editor.document, '[[Capitalism#Critiques]]', 4);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>(
      'vscode.executeDocumentRenameProvider', editor.document.uri, position, 'Market Economy');
    assert.ok(edit && edit.size > 0, 'the rename provider returns an edit');
    assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the edit');
    await saveDirtyDocuments();

    assert.ok(fs.existsSync(fileUri('Market_Economy.md').fsPath), 'the file is renamed, keeping the underscores');
    assert.ok(!fs.existsSync(fileUri('Capitalism.md').fsPath), 'the old file is gone');
    // Each syntax keeps its form, its #heading and its label.
    assert.match(onDisk('Mutual_Aid.md'), /\[\[Market Economy#Critiques\]\]/);
    assert.match(onDisk('Anarchism.md'), /\[state capitalism\]\(Market_Economy\.md\)/);
    assert.match(onDisk('Marxism-Leninism.md'), /href="Market_Economy\.md"/);
    assert.doesNotMatch(onDisk('Marxism-Leninism.md'), /href="Capitalism\.md"/);
    assert.doesNotMatch(onDisk('Anarchism.md') + onDisk('Mutual_Aid.md'), /Capitalism/);
  });

  test('with rename.leaveRedirect set to always, renaming an article leaves a redirect page at its old name, on disk', async function () {
    this.timeout(60_000);
    const files = ['Scratch_Old.md', 'Scratch_Linker.md', 'Scratch_New.md'];
    fs.writeFileSync(fileUri('Scratch_Old.md').fsPath, '# Scratch Old\n\nText.\n');
    fs.writeFileSync(fileUri('Scratch_Linker.md').fsPath, '# Scratch Linker\n\nSee [[Scratch Old]].\n');
    const config = vscode.workspace.getConfiguration('linkedArticles');
    await config.update('rename.leaveRedirect', 'always', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openArticle('Scratch_Linker.md');
      const position = positionOf(editor.document, '[[Scratch Old]]', 4);
      // Until the watcher has indexed the scratch article and the server has the setting, the answer is not this one.
      const edit = await waitFor('a rename that leaves a redirect', async () => {
        const e = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', editor.document.uri, position, 'Scratch New');
        return e?.entries().some(([u, edits]) => u.fsPath.endsWith('Scratch_Old.md') && edits.some((x) => x.newText.startsWith('#REDIRECT'))) && e;
      }, 20_000);
      assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the rename, then makes the redirect page where the article was');
      await saveDirtyDocuments();
      assert.equal(onDisk('Scratch_New.md'), '# Scratch New\n\nText.\n');
      assert.equal(onDisk('Scratch_Old.md'), '#REDIRECT [[Scratch New]]\n');
      assert.equal(onDisk('Scratch_Linker.md'), '# Scratch Linker\n\nSee [[Scratch New]].\n');
    } finally {
      await config.update('rename.leaveRedirect', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of files) fs.rmSync(fileUri(f).fsPath, { force: true });
    }
  });

  test('renaming a footnote rewrites its reference and its definition, and nothing else', async function () {
    this.timeout(60_000);
    const editor = await openArticle('Anarchism.md');
    const before = editor.document.getText();
    const position = positionOf(editor.document, '[^2]', 2);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', editor.document.uri, position, 'malatesta');
    assert.ok(edit && edit.size > 0, 'the rename provider returns an edit');
    assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the edit');
    await saveDirtyDocuments();
    assert.equal(onDisk('Anarchism.md'), before.replaceAll('[^2]', '[^malatesta]'));
  });

  test('the create-article quick fix on a broken link creates the missing article', async function () {
    this.timeout(60_000);
    // After the rename above the article may be Market_Economy.md; the broken link travels with it.
    const file = fs.existsSync(fileUri('Capitalism.md').fsPath) ? 'Capitalism.md' : 'Market_Economy.md';
    const document = (await openArticle(file)).document;
    const broken = await waitFor('the broken link to Market Socialism', () =>
      vscode.languages.getDiagnostics(document.uri).find((d) => codeOf(d) === 'broken-link' && /Market Socialism/.test(document.getText(d.range))));
    const actions = await waitFor('a quick fix that creates the article', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, broken.range, vscode.CodeActionKind.QuickFix.value);
      return found.some((a) => /create/i.test(a.title)) && found;
    });
    const create = actions.find((a) => /create/i.test(a.title))!;
    assert.match(create.title, /Market Socialism/);
    assert.ok(create.edit, 'the quick fix is a workspace edit');
    assert.ok(await vscode.workspace.applyEdit(create.edit), 'VS Code applies it');
    if (create.command) await vscode.commands.executeCommand(create.command.command, ...(create.command.arguments ?? []));
    await saveDirtyDocuments();

    const created = fileUri('Market_Socialism.md');
    assert.ok(fs.existsSync(created.fsPath), 'Market_Socialism.md exists');
    assert.match(fs.readFileSync(created.fsPath, 'utf8'), /Market Socialism/, 'the new article has its title');
    await waitFor('the broken link to go away', () =>
      !vscode.languages.getDiagnostics(document.uri).some((d) => codeOf(d) === 'broken-link' && /Market Socialism/.test(document.getText(d.range))), 20_000);
  });

  test('moving a section to a new article from its heading creates the article and points the links to the section at it', async function () {
    this.timeout(60_000);
    const files = ['Scratch_Extract.md', 'Scratch_Linker.md', 'Direct_Tactics.md'];
    fs.writeFileSync(fileUri('Scratch_Extract.md').fsPath, '# Scratch Extract\n\nIntro to [[Anarchism]].\n\n## Direct Tactics\n\nStrikes and boycotts.[^1]\n\n[^1]: A source.\n');
    fs.writeFileSync(fileUri('Scratch_Linker.md').fsPath, '# Scratch Linker\n\nSee [[Scratch Extract#Direct Tactics]].\n');
    try {
      const editor = await openArticle('Scratch_Extract.md');
      const position = positionOf(editor.document, '## Direct', 4);
      const range = new vscode.Range(position, position);
      // The linker is found by the file watcher; until then the action would leave its link behind.
      const action = await waitFor('the extract action, once the linker is indexed', async () => {
        // The move is offered without its edit; the command's last argument has VS Code resolve it, as choosing it does.
        const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, range, vscode.CodeActionKind.RefactorExtract.value, 5);
        const a = found.find((x) => x.title === "Move the section 'Direct Tactics' to a new article (Direct_Tactics.md)");
        return a?.edit && a.edit.entries().some(([u]) => u.fsPath.endsWith('Scratch_Linker.md')) && a;
      }, 20_000);
      const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, range, vscode.CodeActionKind.RefactorExtract.value);
      assert.equal(offered.find((x) => x.title === action.title)?.edit, undefined, 'offered without its edit until resolved: the light bulb reads no other article');
      assert.ok(await vscode.workspace.applyEdit(action.edit!), 'VS Code applies it');
      await saveDirtyDocuments();
      assert.equal(onDisk('Direct_Tactics.md'), '# Direct Tactics\n\nStrikes and boycotts.[^1]\n\n[^1]: A source.\n');
      assert.equal(onDisk('Scratch_Extract.md'), '# Scratch Extract\n\nIntro to [[Anarchism]].\n\n## Direct Tactics\n\nMain article: [[Direct Tactics]]\n');
      assert.equal(onDisk('Scratch_Linker.md'), '# Scratch Linker\n\nSee [[Direct Tactics]].\n');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of files) fs.rmSync(fileUri(f).fsPath, { force: true });
    }
  });

  test('moving an image, as the explorer does, rewrites the links to it; until then a link to a missing image is reported', async function () {
    this.timeout(60_000);
    fs.writeFileSync(fileUri('Atlas.md').fsPath, '# Atlas\n\n![The map](map.png "A map") and ![gone](gone.png).\n');
    fs.writeFileSync(fileUri('map.png').fsPath, Buffer.from('89504e470d0a1a0a', 'hex'));
    try {
      const editor = await openArticle('Atlas.md');
      const uri = editor.document.uri;
      const missing = () => vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'missing-file').map((d) => editor.document.getText(d.range));
      // The watcher tells the server of the new image: only the other one is missing then.
      await waitFor('only gone.png to be reported missing', () => missing().join() === 'gone.png', 20_000);
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(fileUri('map.png'), fileUri('images/map.png'));
      assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code moves the image');
      await waitFor('the link to follow the image', () => editor.document.getText().includes('![The map](images/map.png "A map")'), 20_000);
      await saveDirtyDocuments();
      assert.equal(fs.readFileSync(fileUri('Atlas.md').fsPath, 'utf8'), '# Atlas\n\n![The map](images/map.png "A map") and ![gone](gone.png).\n');
      await waitFor('the moved image to be found', () => missing().join() === 'gone.png', 20_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of ['Atlas.md', 'map.png', 'images']) fs.rmSync(fileUri(f).fsPath, { recursive: true, force: true });
    }
  });
});
