// The Backlinks, Wanted Articles and Orphaned Articles views (through their tree providers), the status bar and the Create Article command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BacklinksNode } from '../../../client/src/backlinksView';
import type { OutgoingNode } from '../../../client/src/outgoingView';
import { fileUri, indexReady, openArticle, revert, saveDirtyDocuments, screenshot, waitFor } from './util';

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

suite('Views', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await indexReady();
  });

  test('the status bar counts the articles, and follows articles created and deleted on disk', async () => {
    const api = await indexReady();
    const before = api.status().last!.articles;
    assert.ok(before >= 6, `the fixture's six articles at least, not ${before}`);
    assert.equal(api.status().text, `$(references) ${before} articles`);
    const extra = fileUri('Status_Count.md');
    fs.writeFileSync(extra.fsPath, '# Status Count\n');
    try {
      await waitFor(() => `the count to go up, not ${api.status().text}`, () => api.status().text === `$(references) ${before + 1} articles`);
    } finally {
      fs.rmSync(extra.fsPath, { force: true });
    }
    await waitFor(() => `the count to go down again, not ${api.status().text}`, () => api.status().text === `$(references) ${before} articles`);
  });

  test('Rebuild Index builds the index again and the views still answer', async () => {
    const api = await indexReady();
    const builds = api.status().builds;
    await vscode.commands.executeCommand('linkedArticles.rebuildIndex');
    await waitFor('a new index', () => api.status().builds > builds && api.status().last?.state === 'ready');
    assert.equal(api.status().builds, builds + 1, 'one rebuild, one new index');
    assert.ok((await api.wanted.getChildren()).length > 0, 'the wanted articles come from the new index');
  });

  test('Show Graph opens a panel beside the article whose page draws every article linked with it, and follows the active article and the links typed in it', async () => {
    const api = await indexReady();
    await openArticle('Mutual_Aid.md');
    await vscode.commands.executeCommand('linkedArticles.showGraph');
    try {
      const drawn = await waitFor(() => `the page to draw the graph of Mutual Aid (sent: ${api.graph.shown?.nodes.length}, drawn: ${JSON.stringify(api.graph.rendered)})`, () => {
        const shown = api.graph.shown;
        return shown && shown.nodes[0].title === 'Mutual Aid' && api.graph.rendered && { shown, rendered: api.graph.rendered };
      }, 20_000);
      const titles = drawn.shown.nodes.map((n) => n.title);
      for (const t of ['Anarchism', 'Glossary', 'Capitalism']) assert.ok(titles.includes(t), `${t} in ${titles.join(', ')}`);
      assert.deepEqual({ nodes: drawn.rendered.nodes, edges: drawn.rendered.edges }, { nodes: drawn.shown.nodes.length, edges: drawn.shown.edges.length }, 'the page drew every node and edge it was sent');
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Graph: Mutual Aid');
      assert.ok(tab, 'a tab titled with the article');
      await waitFor('the layout to come to rest', () => api.graph.rendered?.settled, 20_000);
      await screenshot('graph', '.webview.ready');
      const capitalism = await openArticle('Capitalism.md');
      await waitFor('the graph to follow the active article', () => api.graph.shown?.nodes[0].title === 'Capitalism' && api.graph.rendered?.nodes === api.graph.shown.nodes.length, 20_000);
      // A link typed (unsaved) reaches the graph: the server says links changed, and the panel asks again.
      await capitalism.edit((e) => e.insert(capitalism.document.lineAt(capitalism.document.lineCount - 1).range.end, '\nSee [[Scratch Graph Target]].\n'));
      await waitFor('the graph to show the article just linked', () => api.graph.shown?.nodes.some((n) => n.title === 'Scratch Graph Target' && !n.uri), 20_000);
      await revert(capitalism.document);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('the Backlinks view lists the articles that link to the active one, with their sentences', async () => {
    const api = await indexReady();
    await openArticle('Anarchism.md');
    const provider = api.backlinks;
    await waitFor('the view to follow the active editor', () => provider.article?.fsPath === fileUri('Anarchism.md').fsPath);
    const nodes = await waitFor('backlinks of Anarchism', async () => {
      const found = await provider.getChildren();
      return found.filter((n) => n.kind === 'source').length >= 4 && found;
    }, 20_000);
    const sources = nodes.filter((n): n is Extract<BacklinksNode, { kind: 'source' }> => n.kind === 'source');
    const titles = sources.map((n) => label(provider.getTreeItem(n)));
    for (const title of ['Capitalism', 'Communism', 'Glossary', 'Mutual Aid']) assert.ok(titles.includes(title), `sources: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Anarchism'), 'an article is not its own backlink');

    // Communism links twice: a wikilink to a heading and a pandoc anchor.
    const communism = sources.find((n) => label(provider.getTreeItem(n)) === 'Communism')!;
    assert.equal(provider.getTreeItem(communism).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const links = await provider.getChildren(communism);
    assert.equal(links.length, 2);
    const sentence = provider.getTreeItem(links[0]);
    assert.match(label(sentence), /libertarian currents/, 'the sentence with the link is shown');
    assert.equal(sentence.command?.command, 'vscode.open');
    const [uri, options] = sentence.command!.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
    assert.equal(uri.fsPath, fileUri('Communism.md').fsPath);
    const target = await vscode.workspace.openTextDocument(uri);
    assert.match(target.getText(options.selection as vscode.Range), /Anarchism/, 'a click selects the link itself');

    await vscode.commands.executeCommand('linkedArticles.showBacklinks');
    // The row of a sentence: only the Backlinks view shows one.
    await screenshot('backlinks', '.monaco-list-row[aria-label*="libertarian currents"]');
  });

  test('the Backlinks view follows the active editor', async () => {
    const api = await indexReady();
    await openArticle('Capitalism.md');
    const nodes = await waitFor('backlinks of Capitalism', async () => {
      if (api.backlinks.article?.fsPath !== fileUri('Capitalism.md').fsPath) return false;
      const found = await api.backlinks.getChildren();
      return found.length > 0 && found;
    });
    const titles = nodes.filter((n) => n.kind === 'source').map((n) => label(api.backlinks.getTreeItem(n)));
    assert.ok(titles.includes('Anarchism') && titles.includes('Mutual Aid'), `sources: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Glossary'), 'the Glossary does not link to Capitalism');
  });

  test('the Backlinks view has a section for unlinked mentions', async () => {
    const api = await indexReady();
    // The Glossary defines "Mutual aid" in plain text.
    await openArticle('Mutual_Aid.md');
    const section = await waitFor('the unlinked mentions of Mutual Aid', async () => {
      if (api.backlinks.article?.fsPath !== fileUri('Mutual_Aid.md').fsPath) return false;
      return (await api.backlinks.getChildren()).find((n) => n.kind === 'mentions');
    }, 20_000);
    assert.equal(label(api.backlinks.getTreeItem(section)), 'Unlinked mentions');
    const mentions = await api.backlinks.getChildren(section);
    const places = mentions.map((m) => api.backlinks.getTreeItem(m).description);
    assert.ok(places.some((p) => String(p).startsWith('Glossary')), `mentions: ${places.join('; ')}`);
  });

  test('Link This Mention on an unlinked mention turns it into a link', async () => {
    const api = await indexReady();
    await openArticle('Mutual_Aid.md');
    const section = await waitFor('the unlinked mentions of Mutual Aid', async () => {
      if (api.backlinks.article?.fsPath !== fileUri('Mutual_Aid.md').fsPath) return false;
      return (await api.backlinks.getChildren()).find((n) => n.kind === 'mentions');
    }, 20_000);
    const mention = (await api.backlinks.getChildren(section)).find((m) => String(api.backlinks.getTreeItem(m).description).startsWith('Glossary'));
    assert.ok(mention, 'the Glossary mentions Mutual Aid without a link');
    await vscode.commands.executeCommand('linkedArticles.linkUnlinkedMention', mention);

    const glossary = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === fileUri('Glossary.md').fsPath);
    assert.ok(glossary, 'the Glossary was edited');
    assert.match(glossary.getText(), /\*\*\[\[Mutual (?:aid|Aid\|Mutual aid)\]\]\*\*: voluntary/, 'the mention is a link now');
    await waitFor('the mention to leave the view', async () => {
      const mentions = (await api.backlinks.getChildren()).find((n) => n.kind === 'mentions');
      const left = mentions ? await api.backlinks.getChildren(mentions) : [];
      return !left.some((m) => String(api.backlinks.getTreeItem(m).description).startsWith('Glossary'));
    });
    // Each save awaited: a Save All still writing when the next test saved the Glossary made that save fail (a
    // conflict with the file on disk), once in CI.
    await saveDirtyDocuments();
  });

  test('the Outgoing Links view lists what the article links to and the articles it names unlinked, and Link This Mention links one', async () => {
    const api = await indexReady();
    const capitalism = await openArticle('Capitalism.md');
    try {
      // Typed, not saved: the view reads the editor's text.
      await capitalism.edit((e) => e.insert(capitalism.document.lineAt(capitalism.document.lineCount - 1).range.end, '\nMarxism-Leninism differs from communism.\n'));
      const provider = api.outgoing;
      const nodes = await waitFor('the outgoing links and mentions of Capitalism', async () => {
        if (provider.article?.fsPath !== fileUri('Capitalism.md').fsPath) return false;
        const found = await provider.getChildren();
        return found.some((n) => n.kind === 'mentions') && found;
      }, 20_000);
      const targets = nodes.filter((n): n is Extract<OutgoingNode, { kind: 'target' }> => n.kind === 'target');
      assert.deepEqual(
        targets.map((n) => [label(provider.getTreeItem(n)), provider.getTreeItem(n).description]),
        [
          ['Communism', 'Communism.md'],
          ['Anarchism', 'Anarchism.md'],
          ['Market Socialism', 'missing'],
          ['Mutual Aid', 'Mutual_Aid.md'],
        ],
      );
      const open = provider.getTreeItem(targets[0]).command!;
      assert.equal((open.arguments![0] as vscode.Uri).fsPath, fileUri('Communism.md').fsPath, 'a click opens the article linked');

      const section = nodes.find((n) => n.kind === 'mentions')!;
      assert.equal(label(provider.getTreeItem(section)), 'Unlinked mentions');
      const mentioned = await provider.getChildren(section);
      // Communism is linked already: only Marxism-Leninism is named without a link.
      assert.deepEqual(mentioned.map((n) => [label(provider.getTreeItem(n)), provider.getTreeItem(n).description]), [['Marxism-Leninism', '1 mention']]);
      const [here, shown] = provider.getTreeItem(mentioned[0]).command!.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
      assert.equal(here.fsPath, fileUri('Capitalism.md').fsPath);
      assert.equal(capitalism.document.getText(shown.selection as vscode.Range), 'Marxism-Leninism', 'a click selects the first mention');
      const [place] = await provider.getChildren(mentioned[0]);
      assert.equal(label(provider.getTreeItem(place)), 'Marxism-Leninism differs from communism.');
      await vscode.commands.executeCommand('linkedArticles.showOutgoingLinks');
      // The view shares the Explorer with the files: the place is scrolled into sight, as a search result is.
      await provider.view!.reveal(place, { select: false, focus: false });
      await screenshot('outgoing', '.monaco-list-row[aria-label*="Marxism-Leninism differs"]');

      await vscode.commands.executeCommand('linkedArticles.linkOutgoingMention', place);
      assert.match(capitalism.document.getText(), /\n\[\[Marxism-Leninism\]\] differs from communism\.\n/, 'the mention is a link now');
      await waitFor('the mention to become an outgoing link', async () => {
        const now = await provider.getChildren();
        return !now.some((n) => n.kind === 'mentions') && now.some((n) => n.kind === 'target' && n.link.title === 'Marxism-Leninism');
      });
    } finally {
      await revert(capitalism.document);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('the Outgoing Links view\'s Link the First Mention of Each links every article named, once', async () => {
    const api = await indexReady();
    const capitalism = await openArticle('Capitalism.md');
    try {
      await capitalism.edit((e) => e.insert(capitalism.document.lineAt(capitalism.document.lineCount - 1).range.end, '\nMarxism-Leninism and the glossary; Marxism-Leninism again.\n'));
      const provider = api.outgoing;
      const section = await waitFor('the unlinked mentions of Capitalism', async () => {
        if (provider.article?.fsPath !== fileUri('Capitalism.md').fsPath) return false;
        const found = (await provider.getChildren()).find((n) => n.kind === 'mentions');
        return found?.kind === 'mentions' && found.mentions.length === 2 && found;
      }, 20_000);
      const result = await vscode.commands.executeCommand<{ applied: boolean; linked: number }>('linkedArticles.linkEachFirstMention', section);
      assert.deepEqual(result, { applied: true, linked: 2 });
      assert.match(capitalism.document.getText(), /\n\[\[Marxism-Leninism\]\] and the \[\[glossary\]\]; Marxism-Leninism again\.\n/, 'each first mention linked, the second left');
      await waitFor('the section to go, nothing left unlinked', async () => !(await provider.getChildren()).some((n) => n.kind === 'mentions'));
    } finally {
      await revert(capitalism.document);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('the Wanted Articles view ranks missing articles by how many links want them', async () => {
    const api = await indexReady();
    const wanted = await waitFor('wanted articles', async () => {
      const found = await api.wanted.getChildren();
      return found.length > 0 && found;
    });
    const counts = wanted.map((w) => w.count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'the most wanted come first');
    const socialism = wanted.find((w) => w.name === 'Market Socialism');
    assert.ok(socialism, `wanted: ${wanted.map((w) => w.name).join(', ')}`);
    assert.equal(socialism.count, 1);
    assert.deepEqual(socialism.sources.map((s) => vscode.Uri.parse(s).fsPath), [fileUri('Capitalism.md').fsPath]);
    const item = api.wanted.getTreeItem(socialism);
    assert.equal(item.command?.command, 'linkedArticles.createArticle');
    assert.ok(!wanted.some((w) => w.name === 'Mutual Aid'), 'an article that exists is not wanted');
  });

  test('clicking a wanted article creates it under the wiki\'s naming convention and opens it', async () => {
    const api = await indexReady();
    const wanted = await api.wanted.getChildren();
    const karl = wanted.find((w) => w.name === 'Karl Marx');
    assert.ok(karl, 'Marxism-Leninism wants Karl Marx');
    const command = api.wanted.getTreeItem(karl).command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));

    const created = fileUri('Karl_Marx.md'); // the fixture wiki writes spaces as underscores (Mutual_Aid.md)
    assert.ok(fs.existsSync(created.fsPath), 'Karl_Marx.md was created');
    assert.match(fs.readFileSync(created.fsPath, 'utf8'), /^# Karl Marx\n/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, created.fsPath, 'the new article is open');
    await waitFor('Karl Marx to leave the wanted articles', async () => !(await api.wanted.getChildren()).some((w) => w.name === 'Karl Marx'), 20_000);
  });

  test('the Tags view lists the tags most used first, nested at /; a tag opens to its nested tags and articles, and a click opens one', async () => {
    const api = await indexReady();
    const tagged = [fileUri('Tagged_One.md'), fileUri('Tagged_Two.md')];
    fs.writeFileSync(tagged[0].fsPath, '---\ntags: [organising]\n---\n# Tagged One\n\nOn #organising and #strikes.\n');
    fs.writeFileSync(tagged[1].fsPath, '# Tagged Two\n\nMore #Organising, #organising/unions.\n');
    try {
      const tags = await waitFor('the tags of the new articles', async () => {
        const found = await api.tags.getChildren();
        return found.length === 2 && found;
      }, 20_000);
      const shown = (nodes: typeof tags) => nodes.map((t) => [api.tags.getTreeItem(t).label, api.tags.getTreeItem(t).description]);
      assert.deepEqual(shown(tags), [['#organising', '2'], ['#strikes', '1']]);
      // Under a tag, the tags nested in it, then its articles.
      const under = await api.tags.getChildren(tags[0]);
      assert.deepEqual(shown(under), [['unions', '1'], ['Tagged One', 'Tagged_One.md'], ['Tagged Two', 'Tagged_Two.md']]);
      const articles = under.slice(1);
      const item = api.tags.getTreeItem(articles[1]);
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, tagged[1].fsPath, 'the click opened the article');
      // An open article keeps its tags while it is open, file or not.
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      for (const f of tagged) fs.rmSync(f.fsPath, { force: true });
    }
    await waitFor('the tags to go with their articles', async () => (await api.tags.getChildren()).length === 0, 20_000);
  });

  test('the Categories view lists the categories articles are put in, each opening to its articles', async () => {
    const api = await indexReady();
    // The fixture's Marxism-Leninism page, exported from MediaWiki, ends with pandoc's anchors to its categories.
    const categories = await waitFor('the categories of the exported page', async () => {
      const found = await api.categories.getChildren();
      return found.length > 0 && found;
    }, 20_000);
    const labels = categories.map((c) => api.categories.getTreeItem(c).label);
    assert.ok(labels.includes('Ideologies') && labels.includes('Anarchist Concepts'), `categories: ${labels.join(', ')}`);
    const ideologies = categories[labels.indexOf('Ideologies')];
    assert.equal(api.categories.getTreeItem(ideologies).description, '1');
    const members = await api.categories.getChildren(ideologies);
    assert.deepEqual(members.map((m) => api.categories.getTreeItem(m).label), ['Marxism-Leninism']);
    const item = api.categories.getTreeItem(members[0]);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(path.basename(vscode.window.activeTextEditor?.document.uri.fsPath ?? ''), 'Marxism-Leninism.md', 'the click opened the article');
  });

  test('the Orphaned Articles view lists an article nobody links to; a click opens it, and a link to it takes it off', async () => {
    const api = await indexReady();
    const lonely = fileUri('Lonely_Article.md');
    fs.writeFileSync(lonely.fsPath, '# Lonely Article\n\nNo other article links here, yet: [[Anarchism]].\n');
    try {
      const orphans = await waitFor('Lonely Article among the orphans', async () => {
        const found = await api.orphans.getChildren();
        return found.some((o) => o.title === 'Lonely Article') && found;
      }, 20_000);
      assert.ok(!orphans.some((o) => o.title === 'Anarchism'), `Anarchism has backlinks; orphans: ${orphans.map((o) => o.title).join(', ')}`);
      const item = api.orphans.getTreeItem(orphans.find((o) => o.title === 'Lonely Article')!);
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, lonely.fsPath, 'the click opened the article');

      const editor = await openArticle('Anarchism.md');
      await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\nSee also [[Lonely Article]].\n'));
      await waitFor('Lonely Article to leave the orphans', async () => !(await api.orphans.getChildren()).some((o) => o.title === 'Lonely Article'), 20_000);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      assert.ok(!editor.document.isDirty, 'Anarchism.md is as it was');
    } finally {
      fs.rmSync(lonely.fsPath, { force: true });
    }
  });
});
