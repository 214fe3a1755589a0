// The language features as VS Code itself asks for them: completion, definition, hover and diagnostics on the fixture wiki.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, dragIntoEditor, fileUri, frameElements, hoverText, imageDrawn, indexReady, openArticle, positionOf, revert, screenshot, waitFor } from './util';

suite('Language features', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await indexReady();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('completion after [[ offers the titles of the wiki\'s articles', async () => {
    // A scratch article of its own, so no other test sees the half-typed link.
    const scratch = fileUri('Scratch_Completion.md');
    fs.writeFileSync(scratch.fsPath, '# Scratch\n\nSee ');
    try {
      const editor = await openArticle('Scratch_Completion.md');
      const end = editor.document.lineAt(2).range.end;
      await editor.edit((e) => e.insert(end, '[['));
      const position = editor.document.lineAt(2).range.end;
      const labels = await waitFor('completion items for the wiki\'s titles', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position, '[');
        const found = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return ['Mutual Aid', 'Anarchism', 'Glossary'].every((t) => found.includes(t)) && found;
      }, 20_000);
      assert.ok(labels.includes('Marxism-Leninism'), `labels: ${labels.join(', ')}`);

      editor.selection = new vscode.Selection(position, position);
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await screenshot('completion', '.suggest-widget.visible');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(scratch.fsPath, { force: true });
    }
  });

  test('choosing a paragraph after [[Page#^ writes the link and gives that paragraph the id, in the other article', async function () {
    this.timeout(60_000);
    const notes = fileUri('Scratch_Block_Notes.md');
    const linker = fileUri('Scratch_Block_Link.md');
    fs.writeFileSync(notes.fsPath, '# Scratch Block Notes\n\nThe first paragraph.\n\nFood banks and strike funds are examples.\n');
    fs.writeFileSync(linker.fsPath, '# Scratch Block Link\n\nSee ');
    try {
      const editor = await openArticle('Scratch_Block_Link.md');
      await editor.edit((e) => e.insert(editor.document.lineAt(2).range.end, '[[Scratch Block Notes#^'));
      const position = editor.document.lineAt(2).range.end;
      // Until the watcher has indexed the new article, there is nothing to offer.
      await waitFor('the new article\'s paragraphs after #^', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position, '^');
        return list.items.some((i) => i.label === 'Food banks and strike funds are examples.');
      }, 20_000);
      editor.selection = new vscode.Selection(position, position);
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await screenshot('block-completion-all', '.suggest-widget.visible .monaco-list-row');
      // The words filter the list as typed; the one item left is accepted as Enter would.
      await vscode.commands.executeCommand('type', { text: 'food' });
      await screenshot('block-completion', '.suggest-widget.visible .monaco-list-row');
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
      const line = await waitFor('the link written', () => /\[\[Scratch Block Notes#(\^[a-z0-9]{6})\]\]/.exec(editor.document.lineAt(2).text));
      const id = line[1];
      const target = await waitFor('the paragraph given the id by the command', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.fsPath === notes.fsPath && d.getText().includes(`examples. ${id}`)));
      assert.equal(target.getText(), `# Scratch Block Notes\n\nThe first paragraph.\n\nFood banks and strike funds are examples. ${id}\n`);
      await waitFor('no problem left in the linking article', () => vscode.languages.getDiagnostics(editor.document.uri).length === 0 || undefined);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const d of vscode.workspace.textDocuments.filter((x) => x.isDirty)) {
        await vscode.window.showTextDocument(d);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      fs.rmSync(notes.fsPath, { force: true });
      fs.rmSync(linker.fsPath, { force: true });
    }
  });

  test('Copy Link to Heading or Paragraph copies the link to the heading, and to the paragraph once it has its new id', async function () {
    this.timeout(60_000);
    const notes = fileUri('Scratch_Copy_Link.md');
    fs.writeFileSync(notes.fsPath, '# Scratch Copy Link\n\n## Part one\n\nA paragraph to link to.\n');
    try {
      const editor = await openArticle('Scratch_Copy_Link.md');
      const at = (line: number, character: number) => (editor.selection = new vscode.Selection(line, character, line, character));
      at(2, 5);
      // Until the watcher has indexed the new article its headings are not known.
      const heading = await waitFor('the link to the heading', async () => {
        const link = await vscode.commands.executeCommand<string | undefined>('linkedArticles.copyLink');
        return link === '[[Scratch Copy Link#Part one]]' && link;
      }, 20_000);
      assert.equal(await vscode.env.clipboard.readText(), heading);
      at(4, 4);
      const link = await vscode.commands.executeCommand<string | undefined>('linkedArticles.copyLink');
      const id = /^\[\[Scratch Copy Link#(\^[a-z0-9]{6})\]\]$/.exec(link ?? '')?.[1];
      assert.ok(id, link);
      assert.equal(await vscode.env.clipboard.readText(), link);
      assert.equal(editor.document.lineAt(4).text, `A paragraph to link to. ${id}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(notes.fsPath, { force: true });
    }
  });

  test('code lenses count the backlinks above the title and the links to a section, and one shows those links in a peek', async () => {
    const editor = await openArticle('Capitalism.md');
    const lenses = await waitFor('code lenses from Linked Articles', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
      const ours = found.filter((l) => l.command?.command === 'linkedArticles.showReferences' && /backlink/.test(l.command.title));
      return ours.length > 0 && found.filter((l) => l.command?.command === 'linkedArticles.showReferences');
    }, 20_000);
    const title = lenses.find((l) => l.range.start.line === 0);
    assert.ok(title, `a lens above the title among ${lenses.map((l) => `${l.range.start.line}: ${l.command!.title}`).join(', ')}`);
    const counted = Number(/^(\d+) backlinks?$/.exec(title.command!.title)?.[1]);
    assert.ok(counted > 0, title.command!.title);
    const critiques = positionOf(editor.document, '## Critiques').line;
    assert.ok(lenses.some((l) => l.range.start.line === critiques && l.command!.title === '1 link to this section'), 'Mutual Aid links to the Critiques section');
    // The editor draws them: the screenshot waits for a lens on the page.
    await screenshot('code-lens', '.codelens-decoration');
    const shown = await vscode.commands.executeCommand<vscode.Location[]>(title.command!.command, ...title.command!.arguments!);
    assert.equal(shown.length, counted, 'the peek lists the links the lens counted');
    assert.ok(shown.some((l) => l.uri.fsPath === fileUri('Mutual_Aid.md').fsPath));

    // A table of contents and a link of the article to its own section: neither is a backlink, and only the second
    // is a link to that section; the peeks agree with the counts.
    try {
      await editor.edit((e) => {
        e.insert(new vscode.Position(1, 0), '\n<!--toc:start-->\n- [Overview](#overview)\n- [Critiques](#critiques)\n<!--toc:end-->\n');
        e.insert(editor.document.lineAt(editor.document.lineCount - 1).range.end, '\nMore in [[#Critiques]].\n');
      });
      const critiquesNow = positionOf(editor.document, '## Critiques').line;
      const section = await waitFor('the section lens to count the link typed', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
        return found.find((l) => l.range.start.line === critiquesNow && l.command?.title === '2 links to this section');
      }, 20_000);
      const now = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
      assert.deepEqual(
        now.filter((l) => l.command?.command === 'linkedArticles.showReferences').map((l) => [l.range.start.line, l.command!.title]),
        [[0, title.command!.title], [critiquesNow, '2 links to this section']],
        'no lens for the Overview, which only the table links to',
      );
      const sectionLinks = await vscode.commands.executeCommand<vscode.Location[]>(section.command!.command, ...section.command!.arguments!);
      const inMutualAid = fs.readFileSync(fileUri('Mutual_Aid.md').fsPath, 'utf8').split('\n').findIndex((l) => l.includes('[[Capitalism#Critiques]]'));
      assert.deepEqual(
        sectionLinks.map((l) => `${vscode.workspace.asRelativePath(l.uri)}:${l.range.start.line}`).sort(),
        [`Capitalism.md:${positionOf(editor.document, 'More in [[#Critiques]]').line}`, `Mutual_Aid.md:${inMutualAid}`].sort(),
      );
      const titleNow = now.find((l) => l.range.start.line === 0)!;
      const backlinks = await vscode.commands.executeCommand<vscode.Location[]>(titleNow.command!.command, ...titleNow.command!.arguments!);
      assert.equal(backlinks.length, counted, 'the title peek lists the same backlinks as before');
      assert.ok(!backlinks.some((l) => l.uri.fsPath === editor.document.uri.fsPath), 'none of them in the article itself');
    } finally {
      await revert(editor.document);
    }
  });

  test('go to definition on a wikilink leads to the linked article', async () => {
    const editor = await openArticle('Anarchism.md');
    const position = positionOf(editor.document, '[[Mutual Aid]]', 4);
    const locations = await waitFor('a definition', async () => {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
      return found.length > 0 && found;
    });
    const target = 'targetUri' in locations[0] ? locations[0].targetUri : locations[0].uri;
    assert.equal(target.fsPath, fileUri('Mutual_Aid.md').fsPath);
  });

  test('go to definition on a link with a heading leads to that heading', async () => {
    const editor = await openArticle('Communism.md');
    const position = positionOf(editor.document, '[[Anarchism#Principles]]', 4);
    const [location] = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
    assert.ok(location, 'a definition is found');
    const uri = 'targetUri' in location ? location.targetUri : location.uri;
    const range = 'targetUri' in location ? (location.targetSelectionRange ?? location.targetRange) : location.range;
    const target = await vscode.workspace.openTextDocument(uri);
    assert.equal(uri.fsPath, fileUri('Anarchism.md').fsPath);
    assert.match(target.lineAt(range.start.line).text, /^## Principles/);
  });

  test('workspace symbols (Go to Symbol in Workspace) find a heading by its words, in its article at its line', async () => {
    const symbols = await waitFor('the heading among the workspace symbols', async () => {
      const found = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'principles');
      return found.some((s) => s.name === 'Principles') && found;
    });
    const heading = symbols.find((s) => s.name === 'Principles')!;
    assert.equal(heading.location.uri.fsPath, fileUri('Anarchism.md').fsPath);
    assert.equal(heading.containerName, 'Anarchism');
    const article = await vscode.workspace.openTextDocument(heading.location.uri);
    assert.match(article.lineAt(heading.location.range.start.line).text, /^## Principles/);
  });

  test('the outline (document symbols) nests an article\'s sections under its title, and lists its footnotes', async () => {
    const editor = await openArticle('Anarchism.md');
    const symbols = await waitFor('the outline', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
      return found && found.length > 0 && found;
    });
    const title = symbols.find((s) => s.name === 'Anarchism');
    assert.ok(title, symbols.map((s) => s.name).join(', '));
    assert.deepEqual(title.children.map((c) => c.name), ['Overview', 'Principles', 'History']);
    const principles = title.children[1];
    assert.match(editor.document.lineAt(principles.selectionRange.start.line).text, /^## Principles/);
    assert.deepEqual(symbols.filter((s) => s.name.startsWith('[^')).map((s) => s.name), ['[^1]', '[^2]']);
  });

  test('expand selection widens from a wiki link\'s heading to the link, its sentence\'s paragraph and the section', async () => {
    const editor = await openArticle('Anarchism.md');
    const start = positionOf(editor.document, 'Hierarchy|', 3);
    editor.selection = new vscode.Selection(start, start);
    const wanted = ['Hierarchy', 'Glossary#Hierarchy', '[[Glossary#Hierarchy|hierarchy]]'];
    const seen: string[] = [];
    // The editor merges our ranges with its own (words, brackets) and the built-in markdown's; ours must be among them, in order.
    await waitFor(() => `the selections to grow through ${wanted.join(', ')}; seen: ${JSON.stringify(seen)}`, async () => {
      await vscode.commands.executeCommand('editor.action.smartSelect.expand');
      const text = editor.document.getText(editor.selection);
      if (seen[seen.length - 1] !== text) seen.push(text);
      return text === editor.document.getText();
    });
    const at = wanted.map((w) => seen.indexOf(w));
    assert.ok(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1])), JSON.stringify(seen));
    assert.ok(seen.some((t) => t.startsWith('## Overview') && t.includes('state capitalism](Capitalism.md).') && !t.includes('## Principles')), 'the section is a step');
  });

  test('every link of each syntax is a clickable document link to its article', async () => {
    const editor = await openArticle('Anarchism.md');
    const links = await waitFor('the document links', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
      return found && found.length >= 5 && found;
    });
    const byText = new Map(links.map((l) => [editor.document.getText(l.range), l.target?.fsPath]));
    // Wikilinks, a markdown link and a pandoc anchor, each leading to its file.
    assert.equal(byText.get('Mutual Aid'), fileUri('Mutual_Aid.md').fsPath);
    assert.equal(byText.get('Marxism-Leninism'), fileUri('Marxism-Leninism.md').fsPath);
    assert.equal(byText.get('Capitalism.md'), fileUri('Capitalism.md').fsPath);
    assert.equal(byText.get('Communism.md'), fileUri('Communism.md').fsPath);
  });

  test('hovering a link previews the linked article', async () => {
    const editor = await openArticle('Anarchism.md');
    const position = positionOf(editor.document, '[[Mutual Aid]]', 5);
    const text = await waitFor('a hover on the link', async () =>
      hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position)));
    assert.match(text, /Mutual Aid/);
    assert.match(text, /voluntary, reciprocal exchange/, 'the lead paragraph of the target is shown');

    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position));
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('hover', '.monaco-hover');
  });

  test('a link to a redirect page is hovered and followed to the article the redirect leads to', async () => {
    // Files of their own, as a MediaWiki export writes a redirect, so that no other test counts them.
    const redirect = fileUri('Scratch_Redirect.md');
    const reader = fileUri('Scratch_Reader.md');
    fs.writeFileSync(redirect.fsPath, '1.  REDIRECT [Mutual Aid](Mutual_Aid "wikilink")\n');
    fs.writeFileSync(reader.fsPath, '# Scratch Reader\n\nSee [[Scratch Redirect]].\n');
    try {
      const editor = await openArticle('Scratch_Reader.md');
      const position = positionOf(editor.document, '[[Scratch Redirect]]', 5);
      const text = await waitFor('a hover through the redirect', async () => {
        const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position));
        return /Redirected from/.test(t) && t;
      }, 20_000);
      assert.match(text, /Mutual Aid/);
      assert.match(text, /voluntary, reciprocal exchange/, 'the lead of the article the redirect leads to');
      const targets = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
      const paths = targets.map((t) => ('targetUri' in t ? t.targetUri : t.uri).fsPath);
      assert.ok(paths.includes(fileUri('Mutual_Aid.md').fsPath), `definition: ${paths.join(', ')}`);

      // The Backlinks view of the article lists the link, and says which redirect it goes through.
      const api = await indexReady();
      await openArticle('Mutual_Aid.md');
      const link = await waitFor('the link through the redirect in the Backlinks view', async () => {
        if (api.backlinks.article?.fsPath !== fileUri('Mutual_Aid.md').fsPath) return false;
        const sources = (await api.backlinks.getChildren()).filter((n) => n.kind === 'source');
        const source = sources.find((n) => n.kind === 'source' && n.uri.fsPath === reader.fsPath);
        return source && (await api.backlinks.getChildren(source))[0];
      }, 20_000);
      assert.equal(api.backlinks.getTreeItem(link).description, 'line 3, through the redirect Scratch Redirect');
    } finally {
      fs.rmSync(redirect.fsPath, { force: true });
      fs.rmSync(reader.fsPath, { force: true });
    }
  });

  test('files dragged from the Explorer into an article, shift held, are linked as the wiki writes links', async () => {
    const image = fileUri('Scratch_drop.png');
    const article = fileUri('Scratch_Drop.md');
    fs.writeFileSync(image.fsPath, Buffer.from(FLAG_PNG, 'base64'));
    fs.writeFileSync(article.fsPath, '# Scratch Drop\n\nSee [[Capitalism]].\n\n');
    try {
      const api = await indexReady();
      const editor = await openArticle('Scratch_Drop.md');
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      editor.selection = new vscode.Selection(end, end);
      // The server has seen the new picture once it can link to it.
      const asUri = (u: vscode.Uri) => api.client.code2ProtocolConverter.asUri(u);
      await waitFor('the server to know the new picture', async () =>
        (await api.client.sendRequest('linkedArticles/dropLinks', { uri: asUri(article), uris: [asUri(image)] })) === '![[Scratch_drop.png]]', 20_000);
      await vscode.commands.executeCommand('workbench.view.explorer');
      await dragIntoEditor('drop-into-article', ['Mutual_Aid.md', 'Scratch_drop.png']);
      const text = await waitFor(() => `the links dropped into the article, which reads ${JSON.stringify(editor.document.getText())}`,
        () => /\[\[Mutual Aid\]\]/.test(editor.document.getText()) && editor.document.getText(), 15_000);
      // Where the mouse let go; the Explorer may have had the article itself selected too, which links to nothing.
      assert.equal(text.replace('[[Mutual Aid]] ![[Scratch_drop.png]]', ''), '# Scratch Drop\n\nSee [[Capitalism]].\n\n', `both files, as wiki links, side by side: ${JSON.stringify(text)}`);
      const asked = api.drop.last?.uris ?? [];
      assert.ok(asked.includes(asUri(fileUri('Mutual_Aid.md'))) && asked.includes(asUri(image)), `the server was asked for the files dragged: ${JSON.stringify(asked)}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(article.fsPath, { force: true });
      fs.rmSync(image.fsPath, { force: true });
    }
  });

  test('hovering an image link shows the picture, drawn by VS Code at a preview\'s size', async () => {
    // A 96 × 64 PNG (a red and black flag) and an article of their own, so that no other test counts them.
    const image = fileUri('Scratch_flag.png');
    const article = fileUri('Scratch_Images.md');
    fs.writeFileSync(image.fsPath, Buffer.from(FLAG_PNG, 'base64'));
    fs.writeFileSync(article.fsPath, '# Scratch Images\n\nThe flag: ![Red and black](Scratch_flag.png)\n');
    try {
      const editor = await openArticle('Scratch_Images.md');
      const position = positionOf(editor.document, '![Red', 3);
      const text = await waitFor('a hover with the image', async () => {
        const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position));
        return /!\[/.test(t) && t;
      }, 20_000);
      assert.match(text, /\*\*Image\*\* `Scratch_flag\.png`/);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position));
      await vscode.commands.executeCommand('editor.action.showHover');
      const drawn = await imageDrawn('hover-image', '.monaco-hover img');
      assert.deepEqual([drawn.width, drawn.height], [96, 64], `drawn at its own size, under the box's: ${JSON.stringify(drawn)}`);
      await screenshot('hover-image', '.monaco-hover');
    } finally {
      fs.rmSync(article.fsPath, { force: true });
      fs.rmSync(image.fsPath, { force: true });
    }
  });

  test('the preview draws an embedded section in place, and again with the new text when that article is edited', async () => {
    const api = await indexReady();
    // In a folder of its own, so that a link of the embedded article leads from this article's folder when clicked.
    const scratch = fileUri('scratch-embed/Scratch_Embed.md');
    fs.mkdirSync(path.dirname(scratch.fsPath), { recursive: true });
    fs.writeFileSync(scratch.fsPath, '# Scratch Embed\n\nBefore.\n\n![[Mutual Aid#In practice]]\n\nAfter.\n');
    try {
      const editor = await openArticle('scratch-embed/Scratch_Embed.md');
      const drawn = async () => vscode.commands.executeCommand<string>('markdown.api.render', editor.document);
      let last = '';
      await waitFor(() => `the embed drawn with the section's text (the client saw ${JSON.stringify(api.previewLinks.seen)}; last drawn: ${last})`, async () => {
        last = await drawn();
        return /<div class="linked-articles-embed">[\s\S]*In practice[\s\S]*Food banks/.test(last);
      }, 20_000);
      assert.doesNotMatch(last, /Dean Spade|Mutual aid\*\* is voluntary/, 'the section alone, not the article around it');
      // Its own wiki link, asked of the server as the embedded article's, leads there from the folder of the one shown.
      await waitFor(() => `the embedded section's own link drawn as a link; last drawn: ${last}`, async () => {
        last = await drawn();
        return /linked-articles-embed[\s\S]*<a href="\.\.\/Glossary\.md#authority" class="linked-articles-wikilink"[^>]*>authority<\/a>/.test(last);
      }, 20_000);
      await vscode.commands.executeCommand('markdown.showPreviewToSide', editor.document.uri);
      const inPreview = await frameElements('preview-embed', '.linked-articles-embed');
      assert.ok(inPreview.some((h) => /Food banks/.test(h)), `the preview drew the embed: ${inPreview.join(' ')}`);
      await screenshot('preview-embed', '.webview.ready');
      // The embedded article edited, not saved: the embedding preview follows, though its own text did not change.
      const source = await vscode.workspace.openTextDocument(fileUri('Mutual_Aid.md'));
      const edit = new vscode.WorkspaceEdit();
      const at = source.getText().indexOf('Food banks');
      edit.replace(source.uri, new vscode.Range(source.positionAt(at), source.positionAt(at + 'Food banks'.length)), 'Soup kitchens');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(() => `the embed drawn again with the edited text; last drawn: ${last}`, async () => {
        last = await drawn();
        return /linked-articles-embed[\s\S]*Soup kitchens/.test(last);
      }, 20_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const source = await vscode.workspace.openTextDocument(fileUri('Mutual_Aid.md'));
      if (source.isDirty) {
        await vscode.window.showTextDocument(source);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      fs.rmSync(path.dirname(scratch.fsPath), { recursive: true, force: true });
    }
  });

  test('the preview loads a markdown image from where the wiki finds it by name, not beside the article', async () => {
    const api = await indexReady();
    const image = fileUri('Scratch_route.png');
    const article = fileUri('scratch-image/Scratch_Trip.md');
    fs.mkdirSync(path.dirname(article.fsPath), { recursive: true });
    fs.writeFileSync(image.fsPath, Buffer.from(FLAG_PNG, 'base64'));
    fs.writeFileSync(article.fsPath, '# Scratch Trip\n\n![The route](Scratch_route.png)\n');
    try {
      const editor = await openArticle('scratch-image/Scratch_Trip.md');
      await vscode.commands.executeCommand('markdown.showPreviewToSide', editor.document.uri);
      // The first render has the path as written; the one after the server's answer, the file it means.
      const src = await waitFor(() => `the preview to load the picture from the wiki's root (the client saw ${JSON.stringify(api.previewLinks.seen)})`, async () => {
        const found = await frameElements(`preview-image-${Date.now()}`, 'img[alt="The route"]');
        const attr = /\ssrc="([^"]*)"/.exec(found[0] ?? '')?.[1] ?? '';
        return /\/Scratch_route\.png/.test(attr) && !/scratch-image\/Scratch_route\.png/.test(attr) && attr;
      }, 20_000);
      assert.match(src, /vscode-resource|vscode-cdn|^https?:/, `loaded through the webview's resource address: ${src}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(article.fsPath), { recursive: true, force: true });
      fs.rmSync(image.fsPath, { force: true });
    }
  });

  test('the markdown preview draws wiki links as links to where they lead, a missing article as missing, tags, and footnotes', async () => {
    const api = await indexReady();
    const editor = await openArticle('Capitalism.md');
    // The preview renders at once and again when the server has said where the links lead: asked until it has.
    let last = '';
    const html = await waitFor(() => `VS Code's markdown engine to draw the wiki links where the server says they lead (the client saw ${JSON.stringify(api.previewLinks.seen)}; last drawn: ${last.slice(Math.max(0, last.indexOf('ommunism') - 100), last.indexOf('ommunism') + 300)})`, async () => {
      last = await vscode.commands.executeCommand<string>('markdown.api.render', editor.document);
      return /href="Communism\.md#history"/.test(last) && last;
    }, 20_000);
    // Through VS Code's own rule for links, which adds the `data-href` its preview follows a click by.
    assert.match(html, /<a href="Communism\.md#history" class="linked-articles-wikilink" title="Communism › History" data-href="Communism\.md#history">communism<\/a>/);
    assert.match(html, /<span class="linked-articles-wikilink linked-articles-missing" title="No article named 'Market Socialism'">Market Socialism<\/span>/);
    assert.doesNotMatch(html, /\[\[/, 'no wiki link is left as text');
    // Tags need no server: drawn by the engine's rule alone.
    const tagged = await vscode.commands.executeCommand<string>('markdown.api.render', 'On #anarchism, not C#.');
    assert.match(tagged, /On <span class="linked-articles-tag">#anarchism<\/span>, not C#\./);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', editor.document.uri);
    try {
      // The preview itself: its page holds the link and the missing article as drawn.
      const drawn = await frameElements('preview-links', '.linked-articles-wikilink');
      assert.ok(drawn.some((h) => /href="Communism\.md#history"/.test(h) && />communism</.test(h)), `the preview drew the link: ${drawn.join(' ')}`);
      assert.ok(drawn.some((h) => /linked-articles-missing/.test(h) && />Market Socialism</.test(h)), `and the missing article: ${drawn.join(' ')}`);
      // And the footnote VS Code's preview would have left as `[^1]`.
      const notes = await frameElements('preview-footnotes', '.footnotes li');
      assert.ok(notes.some((h) => /Adam Smith/.test(h)), `the preview drew the footnote: ${notes.join(' ')}`);
      await screenshot('preview', '.webview.ready');
      // The missing article created elsewhere: the link is drawn as one, though this article's text did not change.
      const created = fileUri('Market_Socialism.md');
      fs.writeFileSync(created.fsPath, '# Market Socialism\n');
      try {
        await waitFor(() => `the preview to draw the link to the article just created (the client saw ${JSON.stringify(api.previewLinks.seen)})`, async () => {
          last = await vscode.commands.executeCommand<string>('markdown.api.render', editor.document);
          return /<a href="Market_Socialism\.md" class="linked-articles-wikilink"/.test(last);
        }, 20_000);
      } finally {
        fs.rmSync(created.fsPath, { force: true });
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('in the markdown preview of an article in a folder, MediaWiki names in markdown links and anchors lead to their articles', async () => {
    const api = await indexReady();
    const sub = fileUri('scratch-sub/Scratch_Subpage.md');
    fs.mkdirSync(path.dirname(sub.fsPath), { recursive: true });
    // As pandoc exports MediaWiki links: by the wiki's name, which the preview would follow from this article's folder.
    fs.writeFileSync(sub.fsPath, '# Scratch Subpage\n\nSee [mutual aid](Mutual_Aid "wikilink") and <a href="Capitalism" class="wikilink">capitalism</a>.\n');
    try {
      const editor = await openArticle('scratch-sub/Scratch_Subpage.md');
      const html = await waitFor(() => `the preview to lead the links to their articles (the client saw ${JSON.stringify(api.previewLinks.seen)})`, async () => {
        const h = await vscode.commands.executeCommand<string>('markdown.api.render', editor.document);
        return /href="\.\.\/Mutual_Aid\.md"/.test(h) && /href="\.\.\/Capitalism\.md"/.test(h) && h;
      }, 20_000);
      assert.match(html, /<a href="\.\.\/Mutual_Aid\.md" title="wikilink" data-href="\.\.\/Mutual_Aid\.md">mutual aid<\/a>/);
      assert.match(html, /<a href="\.\.\/Capitalism\.md" class="wikilink">capitalism<\/a>/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(sub.fsPath), { recursive: true, force: true });
    }
  });

  test('hovering a word that the glossary defines shows its definition', async () => {
    const editor = await openArticle('Mutual_Aid.md');
    const position = positionOf(editor.document, 'autonomy', 3);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position));
    assert.match(text, /self-government/i, `hover: ${text}`);
    assert.match(text, /Glossary/, 'the hover says where the definition comes from');
  });

  test('on a footnote reference, its reference and its definition are highlighted, the definition as written', async () => {
    const editor = await openArticle('Anarchism.md');
    const position = positionOf(editor.document, '[^2]', 2);
    const found = await waitFor('highlights of the footnote', async () => {
      const hs = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', editor.document.uri, position);
      return hs && hs.length > 0 && hs;
    });
    const seen = found.map((h) => [editor.document.getText(h.range), editor.document.lineAt(h.range.start.line).text.startsWith('[^2]:'), h.kind]);
    assert.deepEqual(seen, [['[^2]', false, vscode.DocumentHighlightKind.Read], ['[^2]', true, vscode.DocumentHighlightKind.Write]]);
  });

  test('diagnostics show the broken link and the footnote problems', async () => {
    const capitalism = (await openArticle('Capitalism.md')).document;
    const communism = (await openArticle('Communism.md')).document;
    const broken = await waitFor('the broken link to Market Socialism', () =>
      vscode.languages.getDiagnostics(capitalism.uri).find((d) => codeOf(d) === 'broken-link'));
    assert.match(capitalism.getText(broken.range), /Market Socialism/);

    const footnotes = await waitFor('both footnote problems in Communism', () => {
      const codes = vscode.languages.getDiagnostics(communism.uri).map(codeOf);
      return codes.includes('missing-footnote-definition') && codes.includes('unused-footnote-definition') && vscode.languages.getDiagnostics(communism.uri);
    });
    const missing = footnotes.find((d) => codeOf(d) === 'missing-footnote-definition')!;
    assert.match(communism.getText(missing.range), /2/);
    assert.match(communism.lineAt(missing.range.start.line).text, /\[\^2\]/, 'on the reference that has no definition');
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    const unused = footnotes.find((d) => codeOf(d) === 'unused-footnote-definition')!;
    assert.match(communism.getText(unused.range), /3/);
    assert.match(communism.lineAt(unused.range.start.line).text, /^\[\^3\]:/, 'on the definition nobody uses');
    assert.ok(!vscode.languages.getDiagnostics(communism.uri).some((d) => codeOf(d) === 'broken-link'), 'Communism links only to articles that exist');
  });

  test('with the workspace scope, the Problems view has the problems of an article never opened, and loses them with the open scope', async () => {
    const never = fileUri('Scratch_Never_Opened.md');
    fs.writeFileSync(never.fsPath, '# Never opened\n\nSee [[Nowhere At All]].\n');
    const config = vscode.workspace.getConfiguration('linkedArticles');
    try {
      await config.update('diagnostics.scope', 'workspace', vscode.ConfigurationTarget.Workspace);
      const found = await waitFor('the broken link of the article never opened', () => vscode.languages.getDiagnostics(never).find((d) => codeOf(d) === 'broken-link'), 20_000);
      assert.equal(found.message, "No article named 'Nowhere At All'");
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === never.fsPath), 'the article was never opened');
      await config.update('diagnostics.scope', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor('the problems of the article never opened to go', () => vscode.languages.getDiagnostics(never).length === 0, 20_000);
    } finally {
      await config.update('diagnostics.scope', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(never.fsPath, { force: true });
    }
  });
});

/** A 96 × 64 PNG: red over black, divided on the diagonal. */
const FLAG_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAA2ElEQVR42u3QAQ3EMAzAwEEwf0wP6hEsm6qubRJbRnDXDzz4kiAYgQIaBHrUESiiEehZR6CIRqBnne5Ab7rUEWiQpikQAs2i6QWEQNNpWgAh0Hc0lYEQaAFNQSAEWklTBwiBttCkB0KgvTRZgRDoEJpkQAh0Gk0OIAQ6luZoIAQ6n+ZEIARKRHMQEAJlpNkPhECpabYBIVANmtVACFSMZhEQAlWl+RYIgcrTfAKEQH1oZgIhUEOaCUAI1JlmHAiBpBkBQiBpRoAQSJoRILsFsgjIboEsArK7/qPBf8TX0LWGAAAAAElFTkSuQmCC';
