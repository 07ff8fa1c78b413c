-- Draws trae-lsp's pending changes (`trae/pendingChanges`, edits.mode = "review") inline:
-- the lines a hunk replaces on a "deleted" background and struck through, its new text as
-- virtual lines below them. The extmarks follow the user's edits until the server sends the
-- hunks again (it does after every change of the document). Neovim 0.7.2 and newer.
local M = {}

--- The notification the server sends whenever a document's pending hunks change.
M.METHOD = 'trae/pendingChanges'

--- The extmark namespace of the pending changes.
M.namespace = vim.api.nvim_create_namespace('trae_pending')

--- Highlight groups, defined with `default = true` so a colorscheme or the user wins.
M.highlights = {
  -- The whole lines a hunk replaces (to the window's edge).
  TraeDeleted = { link = 'DiffDelete' },
  -- Their text, struck through where the UI can draw it.
  TraeDeletedText = { strikethrough = true },
  -- The virtual lines holding the text the hunk puts there.
  TraeAdded = { link = 'DiffAdd' },
}

-- The buffer variable holding what is drawn: { client_id, version, hunks }.
local VAR = 'trae_pending'

--- (Re)define the highlight groups; call again after `:colorscheme` clears them.
function M.define_highlights()
  for name, spec in pairs(M.highlights) do
    vim.api.nvim_set_hl(0, name, vim.tbl_extend('force', spec, { default = true }))
  end
end

-- The lines of `text` without their line endings (`\n`, `\r\n` or `\r`).
local function split_lines(text)
  if text == '' then
    return {}
  end
  local lines = vim.split((text:gsub('\r\n?', '\n')), '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines)
  end
  return lines
end

-- `line` as virtual text, which does not lay tabs out like buffer text: spaces stand in for
-- them. Leading tabs line up exactly; a tab inside the line is approximated.
local function display(line, tabstop)
  return (line:gsub('\t', string.rep(' ', tabstop)))
end

-- The loaded buffer whose URI is `uri`, or nil (never creates one, unlike uri_to_bufnr).
local function loaded_buffer(uri)
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.uri_from_bufnr(bufnr) == uri then
      return bufnr
    end
  end
  return nil
end

-- Whether hunks computed against document `version` are older than the buffer's text.
local function is_stale(bufnr, version)
  local versions = vim.lsp.util.buf_versions
  local current = versions and versions[bufnr]
  return type(version) == 'number' and type(current) == 'number' and version < current
end

-- The virtual lines showing `lines` added.
local function virt_lines(lines, tabstop)
  local shown = {}
  for _, line in ipairs(lines) do
    table.insert(shown, { { display(line, tabstop), 'TraeAdded' } })
  end
  return shown
end

-- Whether `hunk` has the shape of a hunk in `trae/pendingChanges`.
local function is_hunk(hunk)
  return type(hunk) == 'table'
    and type(hunk.id) == 'string'
    and type(hunk.oldText) == 'string'
    and type(hunk.newText) == 'string'
    and type(hunk.range) == 'table'
    and type(hunk.range.start) == 'table'
    and type(hunk.range.start.line) == 'number'
end

-- Whether lines `first`.. of `bufnr` hold `old`, the lines the hunk replaces.
local function holds(bufnr, first, old)
  if first < 0 or first + #old > vim.api.nvim_buf_line_count(bufnr) then
    return false
  end
  return vim.deep_equal(vim.api.nvim_buf_get_lines(bufnr, first, first + #old, true), old)
end

-- Draw one hunk; its extmark ids, the first one spanning the hunk's lines. Nil when the
-- buffer does not hold the lines the hunk replaces (it was computed for other text).
local function draw_hunk(bufnr, hunk)
  local first = hunk.range.start.line
  local old, new = split_lines(hunk.oldText), split_lines(hunk.newText)
  if not holds(bufnr, first, old) then
    return nil
  end
  local line_count = vim.api.nvim_buf_line_count(bufnr)
  local marks = {}
  local function mark(row, opts)
    table.insert(marks, vim.api.nvim_buf_set_extmark(bufnr, M.namespace, row, 0, opts))
  end
  if #old > 0 then
    local last = first + #old - 1
    mark(first, { end_row = last + 1, end_col = 0, hl_group = 'TraeDeleted', hl_eol = true })
    mark(first, { end_row = last, end_col = #old[#old], hl_group = 'TraeDeletedText' })
  end
  if #new > 0 then
    -- A pure insertion is drawn above the line it goes before, or below the last line.
    local below = #old > 0 or first >= line_count
    local row = #old > 0 and first + #old - 1 or math.min(first, line_count - 1)
    mark(row, { virt_lines = virt_lines(new, vim.bo[bufnr].tabstop), virt_lines_above = not below })
  end
  return marks
end

--- Remove the pending changes drawn in `bufnr`.
function M.clear(bufnr)
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, M.namespace, 0, -1)
    vim.b[bufnr][VAR] = nil
  end
end

--- Replace what `bufnr` shows by `params.hunks` (from client `client_id`).
--- Fires `User TraePending` so statuslines can redraw.
function M.draw(bufnr, params, client_id)
  M.clear(bufnr)
  local drawn = {}
  for _, hunk in ipairs(params.hunks) do
    local marks = is_hunk(hunk) and draw_hunk(bufnr, hunk)
    if marks then
      table.insert(drawn, vim.tbl_extend('force', hunk, { marks = marks }))
    end
  end
  if #drawn > 0 then
    vim.b[bufnr][VAR] = { client_id = client_id, version = params.version, hunks = drawn }
  end
  vim.api.nvim_exec_autocmds('User', { pattern = 'TraePending', modeline = false })
end

--- Handler of `trae/pendingChanges`. Ignores buffers not loaded and hunks for an older version
--- of the buffer; skips hunks whose old lines the buffer does not hold.
function M.on_pending_changes(_, params, ctx)
  if type(params) ~= 'table' or type(params.uri) ~= 'string' or type(params.hunks) ~= 'table' then
    return
  end
  local bufnr = loaded_buffer(params.uri)
  if bufnr and not is_stale(bufnr, params.version) then
    M.draw(bufnr, params, ctx and ctx.client_id)
  end
end

--- The hunks drawn in `bufnr`: { id, range, oldText, newText, marks } as the server sent them.
function M.hunks(bufnr)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return {}
  end
  local drawn = vim.b[bufnr][VAR]
  return drawn and drawn.hunks or {}
end

--- The hunk drawn on zero-based line `row` of `bufnr` (where its marks are now), or nil.
function M.hunk_at(bufnr, row)
  for _, hunk in ipairs(M.hunks(bufnr)) do
    local id = hunk.marks[1]
    local mark = vim.api.nvim_buf_get_extmark_by_id(bufnr, M.namespace, id, { details = true })
    local start, details = mark[1], mark[3] or {}
    if start then
      -- A span ending at column 0 ends on the line before; a lone mark holds its own line.
      local stop = details.end_row and details.end_row - (details.end_col == 0 and 1 or 0) or start
      if start <= row and row <= math.max(start, stop) then
        return hunk
      end
    end
  end
  return nil
end

--- Clear every buffer showing changes from client `client_id` (the server stopped).
function M.forget_client(client_id)
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    local drawn = vim.api.nvim_buf_is_loaded(bufnr) and vim.b[bufnr][VAR]
    if drawn and drawn.client_id == client_id then
      M.clear(bufnr)
    end
  end
end

return M
