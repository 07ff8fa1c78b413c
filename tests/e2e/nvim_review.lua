-- Driven by tests/e2e/test_neovim.py: in review mode, run :TraeFixFile through the plugin,
-- wait for the pending changes to be drawn, with `params.type_line` type a line above them
-- like a user, then run `params.finish` (an Ex command) on the first line of hunk
-- `params.hunk`, wait until `params.remaining` hunks are left, and write what Neovim showed
-- at each stage to `params.result` as JSON.
local params = vim.fn.json_decode(vim.fn.readfile(vim.env.TRAE_NVIM_TEST))
local notes = {}
vim.notify = function(message)
  table.insert(notes, message)
end

vim.opt.runtimepath:prepend(params.plugin)
local trae = require('trae')
local pending = require('trae.pending')
local report = { notes = notes }

local function text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

-- The extmarks of the pending changes in the order they were set, reduced to the fields
-- every Neovim version reports.
local function marks(bufnr)
  local found = {}
  local listed = vim.api.nvim_buf_get_extmarks(bufnr, pending.namespace, 0, -1, { details = true })
  table.sort(listed, function(a, b)
    return a[1] < b[1]
  end)
  for _, mark in ipairs(listed) do
    local details = mark[4]
    table.insert(found, {
      row = mark[2],
      col = mark[3],
      end_row = details.end_row or vim.NIL,
      end_col = details.end_col or vim.NIL,
      hl_group = details.hl_group or vim.NIL,
      hl_eol = details.hl_eol or false,
      virt_lines = details.virt_lines or vim.NIL,
      virt_lines_above = details.virt_lines_above or false,
    })
  end
  return found
end

-- What the buffer shows now: its text, the marks and the hunks `trae.pending` returns.
local function snapshot(bufnr)
  return { text = text(bufnr), marks = marks(bufnr), hunks = trae.pending(bufnr) }
end

local function finish(failure)
  report.failure = failure or vim.NIL
  vim.fn.writefile({ vim.fn.json_encode(report) }, params.result)
  vim.cmd(failure and 'cquit! 1' or 'qall!')
end

local function wait_for(what, condition)
  if not vim.wait(params.timeout_ms, condition, 20) then
    finish('test: timed out waiting for ' .. what)
  end
end

-- A user types a line at the top: the server moves the hunks and sends them again. Then
-- hunks for an older version of the buffer, or for a file that is not loaded, are ignored.
local function type_line(bufnr)
  local first_line = trae.pending(bufnr)[1].range.start.line
  vim.api.nvim_buf_set_lines(bufnr, 0, 0, true, { '# note' })
  wait_for('the moved hunks', function()
    local hunks = trae.pending(bufnr)
    return #hunks > 0 and hunks[1].range.start.line == first_line + 1
  end)
  report.moved = snapshot(bufnr)

  local uri = vim.uri_from_bufnr(bufnr)
  local buffers = #vim.api.nvim_list_bufs()
  pending.on_pending_changes(nil, { uri = uri, version = 0, hunks = {} }, {})
  local elsewhere = vim.uri_from_fname(vim.fn.fnamemodify(params.file, ':h') .. '/other.py')
  pending.on_pending_changes(nil, { uri = elsewhere, hunks = report.moved.hunks }, {})
  report.ignored = { marks = #marks(bufnr), buffers_added = #vim.api.nvim_list_bufs() - buffers }

  -- A current notification replaces what is drawn, but not with a hunk the text does not hold.
  local wrong = vim.tbl_extend('force', report.moved.hunks[1], { oldText = 'not in the file\n' })
  pending.on_pending_changes(nil, { uri = uri, hunks = { wrong } }, {})
  report.ignored.mismatched = #marks(bufnr)
  pending.on_pending_changes(nil, { uri = uri, hunks = report.moved.hunks }, {})
  report.ignored.redrawn = #marks(bufnr)
end

-- The scenario; a Lua error in it ends Neovim too, with the traceback as the failure.
local function scenario()
  trae.setup({ cmd = params.cmd, settings = params.settings })
  vim.cmd('edit ' .. vim.fn.fnameescape(params.file))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for('trae-lsp to initialize', function()
    local client = trae.client(bufnr)
    return client ~= nil and client.initialized == true
  end)

  vim.cmd('TraeFixFile')
  wait_for('the pending change and the answer', function()
    return #trae.pending(bufnr) > 0 and #notes > 0
  end)
  report.drawn = snapshot(bufnr)

  if params.type_line then
    type_line(bufnr)
  end

  local edited = text(bufnr)
  vim.api.nvim_win_set_cursor(0, { trae.pending(bufnr)[params.hunk].range.start.line + 1, 0 })
  vim.cmd(params.finish)
  wait_for('the hunks left', function()
    local changed = text(bufnr) ~= edited
    return #trae.pending(bufnr) == params.remaining and changed == params.changes_text
  end)
  report.finished = snapshot(bufnr)
end

local ok, failure = xpcall(scenario, debug.traceback)
finish(not ok and failure or nil)
