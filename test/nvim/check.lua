-- Drives Neovim 0.7's built-in LSP client against the bundled server and writes what it saw to a JSON file for nvim.test.ts.
local root = assert(os.getenv('LA_ROOT'), 'LA_ROOT not set')
local server = assert(os.getenv('LA_SERVER'), 'LA_SERVER not set')
local result_path = assert(os.getenv('LA_RESULT'), 'LA_RESULT not set')
local node = os.getenv('LA_NODE') or 'node'
local TIMEOUT = 20000

local result = { steps = {} }
local function step(name) table.insert(result.steps, name) end

local function write_result()
  local f = assert(io.open(result_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function uri(name) return vim.uri_from_fname(root .. '/' .. name) end

-- Hover contents come as MarkupContent, a MarkedString or a list of them; the test wants the text.
local function hover_text(contents)
  if type(contents) == 'string' then return contents end
  if contents.value then return contents.value end
  local parts = {}
  for _, c in ipairs(contents) do table.insert(parts, type(c) == 'string' and c or c.value) end
  return table.concat(parts, '\n')
end

local function locations(res)
  if res == nil or res == vim.NIL then return {} end
  if res.uri or res.targetUri then res = { res } end
  local out = {}
  for _, l in ipairs(res) do
    table.insert(out, { uri = l.uri or l.targetUri, range = l.range or l.targetSelectionRange or l.targetRange })
  end
  return out
end

-- Writes the buffers an applied edit changed, as `:wall` would, but not `keep`, whose typed edit must stay unsaved.
local function write_edited(keep)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if b ~= keep and vim.api.nvim_buf_is_loaded(b) and vim.api.nvim_buf_get_option(b, 'modified') then
      vim.api.nvim_buf_call(b, function() vim.cmd('silent write') end)
    end
  end
end

-- Opens an article of the wiki in a markdown buffer attached to the server.
local function open_article(client_id, name)
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. name))
  local b = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(b, 'filetype', 'markdown')
  assert(vim.lsp.buf_attach_client(b, client_id), 'buf_attach_client failed for ' .. name)
  return b
end

-- The code actions at a position of an article: what the test sees of them (their titles, an error), and the first
-- with an edit whose title contains `wanted`.
local function code_actions(client, bufnr, name, pos, wanted, only, to)
  local res = client.request_sync('textDocument/codeAction', { textDocument = { uri = uri(name) },
    range = { start = pos, ['end'] = to or pos }, context = { diagnostics = {}, only = only } }, TIMEOUT, bufnr)
  local seen = { err = res and res.err, timeout = res == nil, titles = {} }
  local chosen
  for _, a in ipairs((res and res.result ~= vim.NIL and res.result) or {}) do
    table.insert(seen.titles, a.title)
    -- An action offered without its edit is resolved, as Neovim's own code action menu does once one is chosen.
    if not chosen and not a.edit and a.data and a.title:find(wanted, 1, true) then
      local r = client.request_sync('codeAction/resolve', a, TIMEOUT, bufnr)
      seen.resolved = r and r.result and r.result.edit ~= nil
      if seen.resolved then a = r.result end
    end
    if not chosen and a.edit and a.title:find(wanted, 1, true) then chosen = a end
  end
  return seen, chosen
end

local function main()
  local initialized = false
  local client_id = vim.lsp.start_client({
    name = 'linked-articles',
    -- As the README configures it.
    cmd = { node, '--expose-gc', server, '--stdio' },
    cmd_env = { MALLOC_TRIM_THRESHOLD_ = '131072' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'wiki' } },
    on_init = function() initialized = true end,
    on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
  })
  assert(client_id, 'start_client failed')
  assert(vim.wait(TIMEOUT, function() return initialized end, 20), 'the server did not answer initialize')
  local client = vim.lsp.get_client_by_id(client_id)
  result.server_name = client.server_capabilities and client.server_capabilities.serverInfo or nil
  step('initialized')

  local buf = open_article(client_id, 'Home.md')
  step('attached')

  -- Pushed diagnostics: the broken link, and none for the links the index resolves once it is built.
  local function diagnostics()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, message = d.message,
        severity = d.severity, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
    end
    return out
  end
  local function mentions(ds, word)
    for _, d in ipairs(ds) do if d.message:find(word, 1, true) then return true end end
    return false
  end
  local settled = vim.wait(TIMEOUT, function()
    local ds = diagnostics()
    return mentions(ds, 'Vanguardism') and not mentions(ds, 'Mutual Aid') and not mentions(ds, 'Marxism')
  end, 50)
  result.diagnostics = diagnostics()
  result.diagnostics_settled = settled
  step('diagnostics')

  -- Line 2 (0-based) holds `[[Mutual Aid]]` at columns 27..41; ask about a position inside it.
  local on_link = { textDocument = { uri = uri('Home.md') }, position = { line = 2, character = 33 } }

  local def = client.request_sync('textDocument/definition', on_link, TIMEOUT, buf)
  result.definition = def and { err = def.err, locations = locations(def.result) } or { timeout = true }
  step('definition')

  local hover = client.request_sync('textDocument/hover', on_link, TIMEOUT, buf)
  result.hover = hover and { err = hover.err, text = (hover.result and hover.result ~= vim.NIL) and hover_text(hover.result.contents) or nil } or { timeout = true }
  step('hover')

  local refs = client.request_sync('textDocument/references',
    vim.tbl_extend('force', on_link, { context = { includeDeclaration = false } }), TIMEOUT, buf)
  result.references = refs and { err = refs.err, locations = locations(refs.result) } or { timeout = true }
  step('references')

  -- Workspace symbols, as `vim.lsp.buf.workspace_symbol` asks: the headings named Origins in both articles that have one.
  local syms = client.request_sync('workspace/symbol', { query = 'origins' }, TIMEOUT, buf)
  result.workspace_symbols = { err = syms and syms.err, timeout = syms == nil, symbols = {} }
  if syms and syms.result and syms.result ~= vim.NIL then
    for _, s in ipairs(syms.result) do
      table.insert(result.workspace_symbols.symbols, { name = s.name, kind = s.kind, container = s.containerName,
        uri = s.location.uri, line = s.location.range and s.location.range.start.line })
    end
  end
  step('workspace symbols')

  -- Another article: its outline, and a footnote's hover and definition.
  local mbuf = open_article(client_id, 'Marxism-Leninism.md')
  local mdoc = { uri = uri('Marxism-Leninism.md') }
  local outline = client.request_sync('textDocument/documentSymbol', { textDocument = mdoc }, TIMEOUT, mbuf)
  result.outline = { err = outline and outline.err, timeout = outline == nil, symbols = {} }
  local function walk(list, depth)
    for _, sym in ipairs(list) do
      local range = sym.selectionRange or sym.range or sym.location.range
      table.insert(result.outline.symbols, { name = sym.name, depth = depth, line = range.start.line })
      if sym.children then walk(sym.children, depth + 1) end
    end
  end
  if outline and outline.result and outline.result ~= vim.NIL then walk(outline.result, 0) end
  local fline = vim.api.nvim_buf_get_lines(mbuf, 13, 14, true)[1]
  local on_ref = { textDocument = mdoc, position = { line = 13, character = fline:find('[^1]', 1, true) + 1 } }
  local fhover = client.request_sync('textDocument/hover', on_ref, TIMEOUT, mbuf)
  result.footnote_hover = { err = fhover and fhover.err,
    text = (fhover and fhover.result and fhover.result ~= vim.NIL) and hover_text(fhover.result.contents) or nil }
  local fdef = client.request_sync('textDocument/definition', on_ref, TIMEOUT, mbuf)
  result.footnote_definition = { err = fdef and fdef.err, locations = fdef and locations(fdef.result) or {} }
  step('outline and footnotes')

  -- A link converted to another syntax by its refactoring, applied by Neovim to the buffer (left unsaved).
  local to_markdown
  result.convert, to_markdown = code_actions(client, buf, 'Home.md', on_link.position, 'markdown link', { 'refactor.rewrite' })
  if to_markdown then
    vim.lsp.util.apply_workspace_edit(to_markdown.edit, client.offset_encoding)
    result.convert.line = vim.api.nvim_buf_get_lines(buf, 2, 3, true)[1]
  end
  step('convert link')

  -- A plain mention of an article's title, linked by its quick fix; the new link then leads to the article.
  local mention_at = { line = 2, character = 3 }
  local link_it
  result.mention, link_it = code_actions(client, buf, 'Home.md', mention_at, "Link 'Mutual aid'")
  if link_it then
    vim.lsp.util.apply_workspace_edit(link_it.edit, client.offset_encoding)
    result.mention.line = vim.api.nvim_buf_get_lines(buf, 2, 3, true)[1]
    local d = client.request_sync('textDocument/definition', { textDocument = { uri = uri('Home.md') }, position = mention_at }, TIMEOUT, buf)
    result.mention.definition = d and locations(d.result) or {}
  end
  step('link a mention')

  -- The custom request for unlinked mentions, and the command that links one: the server sends the edit back with
  -- workspace/applyEdit, which Neovim applies to the open buffer.
  local found = client.request_sync('linkedArticles/unlinkedMentions', { uri = uri('Mutual_Aid.md') }, TIMEOUT, buf)
  result.mentions = { err = found and found.err, uris = {} }
  local in_ml
  for _, m in ipairs((found and found.result ~= vim.NIL and found.result) or {}) do
    table.insert(result.mentions.uris, m.uri)
    if not in_ml and m.uri == uri('Marxism-Leninism.md') then in_ml = m end
  end
  if in_ml then
    result.mentions.line = in_ml.range.start.line
    local run = client.request_sync('workspace/executeCommand', { command = 'linkedArticles.linkMention',
      arguments = { { uri = in_ml.uri, range = in_ml.range, target = uri('Mutual_Aid.md') } } }, TIMEOUT, buf)
    result.mentions.command = { err = run and run.err, applied = run and run.result and run.result.applied }
    result.mentions.after = vim.api.nvim_buf_get_lines(mbuf, in_ml.range.start.line, in_ml.range.start.line + 1, true)[1]
  end
  step('link a mention by command')

  -- The articles a buffer names without linking them (what VS Code's Outgoing Links view lists), by the custom
  -- request, and linked at their first mention by the one code action on a selection, as visual mode asks for it.
  local obuf2 = open_article(client_id, 'Outgoing_Scratch.md')
  local sentence = 'On direct action and mutual aid; mutual aid again, see [[Tactics]].'
  vim.api.nvim_buf_set_lines(obuf2, 0, -1, false, { '# Outgoing Scratch', '', sentence })
  local named
  for _ = 1, 100 do
    local o = client.request_sync('linkedArticles/outgoing', { uri = uri('Outgoing_Scratch.md') }, TIMEOUT, obuf2)
    named = o and o.result and o.result ~= vim.NIL and o.result or nil
    if named and #named.mentions > 0 then break end
    vim.wait(50)
  end
  result.outgoing = { links = {}, mentions = {} }
  for _, l in ipairs(named and named.links or {}) do table.insert(result.outgoing.links, l.title) end
  for _, m in ipairs(named and named.mentions or {}) do table.insert(result.outgoing.mentions, { title = m.title, count = m.count }) end
  -- The README's :UnlinkedNames (without its :copen), run on the buffer.
  vim.api.nvim_create_user_command('UnlinkedNames', function()
    local uri = vim.uri_from_bufnr(0)
    vim.lsp.buf_request(0, 'linkedArticles/outgoing', { uri = uri }, function(_, found)
      local places = {}
      for _, m in ipairs(found and found ~= vim.NIL and found.mentions or {}) do
        for _, p in ipairs(m.places) do table.insert(places, { uri = uri, range = p.range }) end
      end
      vim.fn.setqflist(vim.lsp.util.locations_to_items(places, 'utf-16'))
    end)
  end, {})
  vim.fn.setqflist({}, 'r')
  vim.cmd('UnlinkedNames')
  vim.wait(TIMEOUT, function() return #vim.fn.getqflist() > 0 end, 50)
  result.outgoing.quickfix = {}
  for _, q in ipairs(vim.fn.getqflist()) do
    table.insert(result.outgoing.quickfix, { file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(q.bufnr), ':t'), line = q.lnum, col = q.col })
  end
  local link_all
  result.outgoing.actions, link_all = code_actions(client, obuf2, 'Outgoing_Scratch.md', { line = 2, character = 0 },
    'Link the first mention', { 'refactor.rewrite' }, { line = 2, character = #sentence })
  if link_all then
    vim.lsp.util.apply_workspace_edit(link_all.edit, client.offset_encoding)
    result.outgoing.line = vim.api.nvim_buf_get_lines(obuf2, 2, 3, true)[1]
  end
  -- Never saved, and gone before the steps that count the wiki's orphaned and wanted articles.
  vim.api.nvim_buf_delete(obuf2, { force = true })
  step('outgoing mentions')

  -- Hover on a word the wiki's glossary defines.
  local gline = vim.api.nvim_buf_get_lines(buf, 3, 4, true)[1]
  local ghover = client.request_sync('textDocument/hover', { textDocument = { uri = uri('Home.md') },
    position = { line = 3, character = gline:find('vanguard', 1, true) + 1 } }, TIMEOUT, buf)
  result.glossary_hover = { err = ghover and ghover.err,
    text = (ghover and ghover.result and ghover.result ~= vim.NIL) and hover_text(ghover.result.contents) or nil }
  step('glossary hover')

  -- Types `text` as the buffer's line `at` and asks for completion at its end: the items as the tests read them
  -- (nil when there is no answer), the line as typed, and the response.
  local function complete_typed(at, text)
    vim.api.nvim_buf_set_lines(buf, at, at + 1, true, { text })
    local typed = vim.api.nvim_buf_get_lines(buf, at, at + 1, true)[1]
    local res = client.request_sync('textDocument/completion',
      { textDocument = { uri = uri('Home.md') }, position = { line = at, character = #typed } }, TIMEOUT, buf)
    if not (res and res.result and res.result ~= vim.NIL) then return nil, typed, res end
    local items = {}
    for i, item in ipairs(res.result.items or res.result) do
      if i > 200 then break end
      local edit = item.textEdit
      table.insert(items, { label = item.label, insertText = item.insertText, detail = item.detail,
        newText = edit and edit.newText or nil, range = edit and (edit.range or edit.replace) or nil })
    end
    return items, typed, res
  end

  -- Completion after `[[`, typed into the buffer: the edit reaches the server by incremental didChange.
  vim.api.nvim_buf_set_lines(buf, -1, -1, true, { '', '' })
  local last = vim.api.nvim_buf_line_count(buf) - 1
  local items, line, comp = complete_typed(last, 'Now a new link to [[Mut')
  if items then
    result.completion = { items = items, isIncomplete = comp.result.isIncomplete }
  else
    result.completion = { err = comp and comp.err, timeout = comp == nil }
  end
  result.completion_line = { line = last, text = line }
  step('completion')

  -- Completion of a heading after `[[Title#`.
  result.heading_completion = { labels = {} }
  for _, item in ipairs(complete_typed(last, 'Now a new link to [[Mutual Aid#') or {}) do table.insert(result.heading_completion.labels, item.label) end
  step('heading completion')

  -- Completion of any article's heading after `[[##`: each item with what it inserts.
  result.any_heading_completion = { items = {} }
  for _, item in ipairs(complete_typed(last, 'Now a new link to [[##orig') or {}) do
    table.insert(result.any_heading_completion.items, { label = item.label, newText = item.newText })
  end
  step('any heading completion')

  -- Completion after `[[Glossary#^`: its paragraph, by its words. The item's command, run as completion plugins run
  -- one (nvim-cmp asks workspace/executeCommand), gives the paragraph the id through workspace/applyEdit, which
  -- Neovim applies to a buffer of that article.
  local _, _, bres = complete_typed(last, 'Now a new link to [[Glossary#^')
  result.block = { items = {} }
  local chosen
  for _, item in ipairs((bres and bres.result and bres.result ~= vim.NIL and (bres.result.items or bres.result)) or {}) do
    table.insert(result.block.items, { label = item.label, newText = item.textEdit and item.textEdit.newText,
      command = item.command and item.command.command })
    chosen = chosen or item
  end
  if chosen and chosen.command then
    local run = client.request_sync('workspace/executeCommand', chosen.command, TIMEOUT, buf)
    result.block.command = { err = run and run.err, applied = run and run.result and run.result.applied }
    local gb = vim.fn.bufnr(root .. '/Glossary.md')
    result.block.glossary = gb ~= -1 and vim.api.nvim_buf_get_lines(gb, 0, -1, true) or nil
  end
  step('block completion')

  -- Completion of a tag after `#`: the tag Tactics.md is filed under, offered with its `#`.
  local titems, tagline = complete_typed(last, 'Now tagged #org')
  result.tag_completion = { items = titems or {}, line = tagline }
  step('tag completion')

  -- An edit that adds a broken link gets a fresh pushed diagnostic without saving.
  vim.api.nvim_buf_set_lines(buf, last, last + 1, true, { 'Now a new link to [[Nowhere Yet]].' })
  result.edit_diagnostic = vim.wait(TIMEOUT, function() return mentions(diagnostics(), 'Nowhere Yet') end, 50)
  result.diagnostics_after_edit = diagnostics()
  step('edit diagnostics')

  -- Rename from a link, the edit applied by Neovim itself: the file is renamed and every link to it rewritten.
  local tbuf = open_article(client_id, 'Tactics.md')
  local tline = vim.api.nvim_buf_get_lines(tbuf, 2, 3, true)[1]
  local at = { textDocument = { uri = uri('Tactics.md') }, position = { line = 2, character = tline:find('[[Direct', 1, true) + 3 } }
  local prep = client.request_sync('textDocument/prepareRename', at, TIMEOUT, tbuf)
  local ren = client.request_sync('textDocument/rename', vim.tbl_extend('force', at, { newName = 'Direct Action Now' }), TIMEOUT, tbuf)
  result.rename = { prepare_err = prep and prep.err, prepare_ok = prep ~= nil and prep.result ~= nil and prep.result ~= vim.NIL,
    err = ren and ren.err, timeout = ren == nil }
  if ren and ren.result and ren.result ~= vim.NIL then
    vim.lsp.util.apply_workspace_edit(ren.result, client.offset_encoding)
    write_edited(buf)
    result.rename.applied = true
  end
  step('rename')

  -- The quick fix on the broken link creates the missing article, the edit applied by Neovim itself.
  local vline = vim.api.nvim_buf_get_lines(buf, 3, 4, true)[1]
  local vat = { line = 3, character = vline:find('Vanguardism', 1, true) + 2 }
  local create
  result.create, create = code_actions(client, buf, 'Home.md', vat, 'Create the article')
  if create then
    vim.lsp.util.apply_workspace_edit(create.edit, client.offset_encoding)
    write_edited(buf)
    result.create.applied = true
    -- Neovim 0.7 reports no file events: the server's own watcher sees the new article, and the link is no longer broken.
    result.create.diagnostic_gone = vim.wait(TIMEOUT, function() return not mentions(diagnostics(), 'Vanguardism') end, 50)
  end
  step('create quick fix')

  -- Backlinks with their sentences: the custom request behind VS Code's Backlinks view.
  local bl = client.request_sync('linkedArticles/backlinks', { uri = uri('Mutual_Aid.md') }, TIMEOUT, buf)
  result.backlinks = { err = bl and bl.err, items = {} }
  for _, b in ipairs((bl and bl.result ~= vim.NIL and bl.result) or {}) do
    table.insert(result.backlinks.items, { uri = b.uri, line = b.range.start.line, sentence = b.sentence })
  end
  step('backlinks')

  -- The wiki-wide lists behind VS Code's Orphaned and Wanted Articles views, by then: Vanguardism has been created.
  -- Asked for the Tactics buffer: Neovim 0.7 holds a buffer's changes back for 150 ms and sends them first only
  -- before a request for that buffer, and the rename's edit to Tactics may still be held back.
  local tactics = vim.fn.bufnr(root .. '/Tactics.md')
  local orph = client.request_sync('linkedArticles/orphans', {}, TIMEOUT, tactics)
  local wanted = client.request_sync('linkedArticles/wanted', {}, TIMEOUT, tactics)
  result.lists = { err = (orph and orph.err) or (wanted and wanted.err), orphans = {}, wanted = {} }
  for _, o in ipairs((orph and orph.result ~= vim.NIL and orph.result) or {}) do table.insert(result.lists.orphans, o.title) end
  for _, w in ipairs((wanted and wanted.result ~= vim.NIL and wanted.result) or {}) do table.insert(result.lists.wanted, w.name) end
  step('wanted and orphans')

  -- A footnote reference typed without a definition: its diagnostic, and the quick fix that adds the definition.
  local obuf = open_article(client_id, 'Other.md')
  vim.api.nvim_buf_set_lines(obuf, -1, -1, true, { '', 'A claim that needs a source.[^9]' })
  local oline = vim.api.nvim_buf_line_count(obuf) - 1
  local function missing9()
    for _, d in ipairs(vim.diagnostic.get(obuf)) do if d.message:find('[^9]', 1, true) then return true end end
    return false
  end
  local reported = vim.wait(TIMEOUT, missing9, 50)
  local add
  result.footnote_fix, add = code_actions(client, obuf, 'Other.md', { line = oline, character = #'A claim that needs a source.[^' }, 'Add a definition')
  result.footnote_fix.diagnostic = reported
  if add then
    vim.api.nvim_buf_call(obuf, function() vim.lsp.util.apply_workspace_edit(add.edit, client.offset_encoding) end)
    result.footnote_fix.lines = vim.api.nvim_buf_get_lines(obuf, 0, -1, true)
    result.footnote_fix.cleared = vim.wait(TIMEOUT, function() return not missing9() end, 50)
  end
  step('footnote quick fix')

  -- That footnote's highlights (its reference and the definition just added), then renamed through
  -- vim.lsp.buf.rename's requests, the edit applied by Neovim to the buffer.
  local on_note = { textDocument = { uri = uri('Other.md') }, position = { line = oline, character = #'A claim that needs a source.[^' } }
  local hl = client.request_sync('textDocument/documentHighlight', on_note, TIMEOUT, obuf)
  result.footnote_rename = { highlights = {} }
  for _, h in ipairs((hl and hl.result ~= vim.NIL and hl.result) or {}) do
    table.insert(result.footnote_rename.highlights, { line = h.range.start.line, kind = h.kind })
  end
  local fprep = client.request_sync('textDocument/prepareRename', on_note, TIMEOUT, obuf)
  result.footnote_rename.placeholder = fprep and fprep.result and fprep.result ~= vim.NIL and fprep.result.placeholder or nil
  local fren = client.request_sync('textDocument/rename', vim.tbl_extend('force', on_note, { newName = 'source' }), TIMEOUT, obuf)
  result.footnote_rename.err = fren and fren.err
  if fren and fren.result and fren.result ~= vim.NIL then
    vim.lsp.util.apply_workspace_edit(fren.result, client.offset_encoding)
    result.footnote_rename.lines = vim.api.nvim_buf_get_lines(obuf, 0, -1, true)
  end
  step('footnote rename')

  -- Code lenses as vim.lsp.codelens shows them, and one run through the command the README has Neovim users define.
  local abuf = open_article(client_id, 'Mutual_Aid.md')
  vim.lsp.codelens.refresh()
  result.code_lens = { shown = vim.wait(TIMEOUT, function() return #vim.lsp.codelens.get(abuf) > 0 end, 50), lenses = {} }
  for _, l in ipairs(vim.lsp.codelens.get(abuf)) do
    table.insert(result.code_lens.lenses, { line = l.range.start.line, title = l.command and l.command.title })
  end
  vim.lsp.commands['linkedArticles.showReferences'] = function(command)
    local uri, position, exclude = command.arguments[1], command.arguments[2], command.arguments[3] or {}
    local function before(a, b) return a.line < b.line or (a.line == b.line and a.character <= b.character) end
    vim.lsp.buf_request(vim.uri_to_bufnr(uri), 'textDocument/references',
      { textDocument = { uri = uri }, position = position, context = { includeDeclaration = false } },
      function(_, found)
        local kept = {}
        for _, l in ipairs(found or {}) do
          local left = false
          for _, x in ipairs(exclude) do
            if l.uri == uri and before(x.start, l.range.start) and before(l.range['end'], x['end']) then left = true end
          end
          if not left then table.insert(kept, l) end
        end
        vim.fn.setqflist(vim.lsp.util.locations_to_items(kept, 'utf-16'))
      end)
  end
  vim.fn.setqflist({}, 'r')
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.lsp.codelens.run()
  result.code_lens.ran = vim.wait(TIMEOUT, function() return #vim.fn.getqflist() > 0 end, 50)
  result.code_lens.quickfix = {}
  for _, q in ipairs(vim.fn.getqflist()) do
    table.insert(result.code_lens.quickfix, { file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(q.bufnr), ':t'), line = q.lnum })
  end
  step('code lens')

  -- A redirect page, as a MediaWiki export writes one, open and never saved: a link to it leads through it.
  local rbuf = open_article(client_id, 'Redirect_Scratch.md')
  vim.api.nvim_buf_set_lines(rbuf, 0, -1, false, { '1.  REDIRECT [Mutual Aid](Mutual_Aid "wikilink")' })
  local lbuf = open_article(client_id, 'Reader_Scratch.md')
  vim.api.nvim_buf_set_lines(lbuf, 0, -1, false, { '# Reader', '', 'See [[Redirect Scratch]].' })
  local on_redirect = { textDocument = { uri = uri('Reader_Scratch.md') }, position = { line = 2, character = 8 } }
  -- Asked again until the server has both buffers' text (Neovim sends a change after a pause); not in a vim.wait
  -- callback, where request_sync, itself a vim.wait, cannot run.
  local redirect_hover
  for _ = 1, 100 do
    local h = client.request_sync('textDocument/hover', on_redirect, TIMEOUT, lbuf)
    redirect_hover = h and h.result and h.result ~= vim.NIL and hover_text(h.result.contents) or nil
    if redirect_hover and redirect_hover:find('Redirected from', 1, true) then break end
    vim.wait(50)
  end
  local rdef = client.request_sync('textDocument/definition', on_redirect, TIMEOUT, lbuf)
  result.redirect = { hover = redirect_hover, definition = rdef and locations(rdef.result) or {} }
  step('redirect')

  -- Expand selection, asked for a buffer never saved: from a wiki link's label outwards.
  local sbuf = open_article(client_id, 'Select_Scratch.md')
  vim.api.nvim_buf_set_lines(sbuf, 0, -1, false, { '# Select', '', 'Read [[Mutual Aid#Origins|the origins]] today.' })
  local sr = client.request_sync('textDocument/selectionRange', { textDocument = { uri = uri('Select_Scratch.md') },
    positions = { { line = 2, character = #'Read [[Mutual Aid#Origins|the ori' } } }, TIMEOUT, sbuf)
  result.selection = { err = sr and sr.err, ranges = {} }
  local chain = sr and sr.result ~= vim.NIL and sr.result and sr.result[1]
  while chain do
    table.insert(result.selection.ranges, chain.range)
    chain = chain.parent
  end
  step('selection range')

  -- Moving a section to a new article, the refactoring applied by Neovim: a file made, links in another file rewritten.
  -- Asked of the article on disk, not open in any buffer: the server reads it as it reads any closed article.
  local origins
  for i, l in ipairs(vim.fn.readfile(root .. '/Mutual_Aid.md')) do
    if l == '## Origins' then origins = i - 1 end
  end
  local extract
  result.extract, extract = code_actions(client, sbuf, 'Mutual_Aid.md', { line = origins, character = 5 }, 'Move the section', { 'refactor.extract' })
  if extract then
    vim.lsp.util.apply_workspace_edit(extract.edit, client.offset_encoding)
    -- Only the two articles of the move are saved: Home.md's buffer holds a typed edit that must stay unsaved.
    for _, name in ipairs({ 'Mutual_Aid.md', 'Origins.md' }) do
      local b = vim.fn.bufnr(root .. '/' .. name)
      if b ~= -1 and vim.api.nvim_buf_get_option(b, 'modified') then vim.api.nvim_buf_call(b, function() vim.cmd('silent write') end) end
    end
    local home = vim.fn.bufnr(root .. '/Home.md')
    result.extract.home = home ~= -1 and vim.api.nvim_buf_get_lines(home, 0, -1, true) or vim.fn.readfile(root .. '/Home.md')
    result.extract.applied = true
  end
  step('extract section')

  -- A block link inserted without the item's command, as Neovim's own completion inserts one: the link's "No block"
  -- problem has the quick fix that gives the paragraph the id, applied by Neovim to the target's buffer.
  vim.api.nvim_buf_set_lines(buf, -1, -1, true, { '' })
  local bline = vim.api.nvim_buf_line_count(buf) - 1
  local _, _, fres = complete_typed(bline, 'A link to [[Other#^')
  local first = fres and fres.result and fres.result ~= vim.NIL and (fres.result.items or fres.result)[1]
  result.block_fix = { newText = first and first.textEdit and first.textEdit.newText, label = first and first.label }
  if result.block_fix.newText then
    vim.api.nvim_buf_set_lines(buf, bline, bline + 1, true, { 'A link to [[Other#' .. result.block_fix.newText })
    local seen, fix = code_actions(client, buf, 'Home.md', { line = bline, character = #'A link to [[Other#^' }, 'Add the block id')
    result.block_fix.titles = seen.titles
    if fix then
      vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
      result.block_fix.target = vim.api.nvim_buf_get_lines(vim.fn.bufnr(root .. '/Other.md'), 0, -1, true)
    end
  end
  step('block id quick fix')

  -- The workspace scope, set while running: an article no buffer has ever held gets its problems too.
  local never = root .. '/Never_Opened.md'
  local f = assert(io.open(never, 'w'))
  f:write('# Never opened\n\nSee [[Nowhere At All]].\n')
  f:close()
  local nbuf = vim.uri_to_bufnr(uri('Never_Opened.md'))
  client.config.settings = { linkedArticles = { diagnostics = { scope = 'workspace' } } }
  client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  local function never_messages()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(nbuf)) do table.insert(out, d.message) end
    return out
  end
  result.workspace_scope = { found = vim.wait(TIMEOUT, function() return #never_messages() > 0 end, 50), loaded = vim.api.nvim_buf_is_loaded(nbuf) }
  result.workspace_scope.messages = never_messages()
  step('workspace scope')

  vim.lsp.stop_client(client_id)
  result.ok = true
end

local ok, err = xpcall(main, debug.traceback)
if not ok then result.error = tostring(err) end
write_result()
vim.cmd(ok and 'qall!' or 'cquit! 1')
