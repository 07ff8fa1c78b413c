-- trae-lsp for Neovim 0.7.2 and newer: starts the server, attaches buffers, exposes the
-- agent commands as :Trae* user commands and draws pending changes inline (trae.pending).
-- Keymaps are left to the user.
local pending = require('trae.pending')

local M = {}

local defaults = {
  -- The server command; `{ 'trae', 'lsp' }` works too.
  cmd = { 'trae-lsp' },
  -- Filetypes to attach to; nil attaches every file buffer.
  filetypes = nil,
  -- Files or folders marking a project root (searched upward from the buffer's file).
  root_markers = { '.trae', '.git', 'pyproject.toml' },
  -- The `trae` settings: sent as initializationOptions and served for
  -- workspace/configuration section `trae` (e.g. { edits = { mode = 'apply' } }).
  settings = {},
}

-- Per-session state: the options in effect and one client id per project root.
local state = { config = vim.deepcopy(defaults), clients = {} }

-- The settings as a JSON object, also when empty (an empty Lua table encodes as []).
local function settings_object()
  if vim.tbl_isempty(state.config.settings) then
    return vim.empty_dict()
  end
  return state.config.settings
end

-- The nearest folder above `path` holding one of the root markers, else the file's folder.
local function find_root(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(state.config.root_markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

-- The client for `root`, started on first use.
local function client_for(root)
  local id = state.clients[root]
  if id and vim.lsp.get_client_by_id(id) then
    return id
  end
  local settings = settings_object()
  id = vim.lsp.start_client({
    name = 'trae',
    cmd = state.config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    init_options = settings,
    settings = { trae = settings },
    handlers = { [pending.METHOD] = pending.on_pending_changes },
    on_exit = function(_, _, client_id)
      state.clients[root] = nil
      -- on_exit may run in a fast event, where buffers may not be touched.
      vim.schedule(function()
        pending.forget_client(client_id)
      end)
    end,
  })
  state.clients[root] = id
  return id
end

-- Whether `bufnr` is a file buffer of a configured filetype.
local function wanted(bufnr)
  if vim.bo[bufnr].buftype ~= '' or vim.api.nvim_buf_get_name(bufnr) == '' then
    return false
  end
  local filetypes = state.config.filetypes
  return filetypes == nil or vim.tbl_contains(filetypes, vim.bo[bufnr].filetype)
end

--- Attach trae-lsp to `bufnr` (default: the current buffer); returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not wanted(bufnr) then
    return nil
  end
  local id = client_for(find_root(vim.api.nvim_buf_get_name(bufnr)))
  if id and not vim.lsp.buf_is_attached(bufnr, id) then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- The trae client attached to `bufnr`, or nil.
function M.client(bufnr)
  -- vim.lsp.get_clients is 0.10+; buf_get_clients (0.7) is deprecated there.
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr, name = 'trae' })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == 'trae' then
      return client
    end
  end
  return nil
end

-- Send a request through `client`: a method call on 0.11+, a plain function before.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- Tell the user how a command ended.
local function report(command, err, result)
  if err then
    vim.notify(('%s failed: %s'):format(command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
  elseif type(result) == 'table' and result.status then
    vim.notify(('%s: %s — %s'):format(command, result.status, result.summary or ''), vim.log.levels.INFO)
  end
end

--- Run `workspace/executeCommand` `command` with one argument object for `bufnr`.
--- `on_done(err, result)` defaults to a notification; returns whether the request was sent.
function M.execute(command, arguments, bufnr, on_done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    vim.notify('trae-lsp is not attached to this buffer (:lua require("trae").attach())', vim.log.levels.WARN)
    return false
  end
  local params = { command = command, arguments = { arguments } }
  local callback = on_done or function(err, result)
    report(command, err, result)
  end
  return request(client, 'workspace/executeCommand', params, function(err, result)
    callback(err, result)
  end, bufnr)
end

-- The current buffer's URI as the commands' argument object, plus `extra`.
local function buffer_args(extra)
  local args = { uri = vim.uri_from_bufnr(vim.api.nvim_get_current_buf()) }
  return vim.tbl_extend('force', args, extra or {})
end

--- The pending hunks drawn in `bufnr` (default: the current buffer), for statuslines:
--- a list of { id, range, oldText, newText, marks }, empty when nothing is pending.
function M.pending(bufnr)
  return pending.hunks((bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr)
end

-- The arguments naming the pending hunk under the cursor, or nil (and a warning).
local function hunk_args()
  local row = vim.api.nvim_win_get_cursor(0)[1] - 1
  local hunk = pending.hunk_at(vim.api.nvim_get_current_buf(), row)
  if not hunk then
    local message = 'Trae: no pending change on this line (:TraeAcceptAll / :TraeRejectAll act on the file)'
    vim.notify(message, vim.log.levels.WARN)
    return nil
  end
  return buffer_args({ hunkId = hunk.id })
end

-- :Trae* user commands: name -> (server command, argument builder, nargs); a builder
-- returning nil cancels the command.
local commands = {
  TraeFixFile = { 'trae.fixFile', function() return buffer_args() end, 0 },
  TraeAddTests = { 'trae.addTests', function() return buffer_args() end, 0 },
  TraeExplain = { 'trae.explain', function() return buffer_args() end, 0 },
  TraeReview = { 'trae.review', function() return buffer_args() end, 0 },
  TraeRunTask = { 'trae.runTask', function(opts) return buffer_args({ task = opts.args }) end, '+' },
  TraeCancel = { 'trae.cancel', function() return buffer_args() end, 0 },
  TraeAcceptHunk = { 'trae.acceptHunk', hunk_args, 0 },
  TraeRejectHunk = { 'trae.rejectHunk', hunk_args, 0 },
  TraeAcceptAll = { 'trae.acceptAll', function() return buffer_args() end, 0 },
  TraeRejectAll = { 'trae.rejectAll', function() return buffer_args() end, 0 },
  TraeTrajectory = { 'trae.showTrajectory', function() return buffer_args() end, 0 },
}

local function create_commands()
  for name, spec in pairs(commands) do
    local command, build, nargs = spec[1], spec[2], spec[3]
    vim.api.nvim_create_user_command(name, function(opts)
      local arguments = build(opts)
      if arguments then
        M.execute(command, arguments)
      end
    end, { nargs = nargs, desc = 'trae-lsp: ' .. command })
  end
end

--- Configure trae-lsp, create the :Trae* commands and attach file buffers as they open.
function M.setup(opts)
  state.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  create_commands()
  pending.define_highlights()
  local group = vim.api.nvim_create_augroup('trae_lsp', { clear = true })
  vim.api.nvim_create_autocmd('ColorScheme', { group = group, callback = pending.define_highlights })
  vim.api.nvim_create_autocmd('BufUnload', {
    group = group,
    callback = function(args)
      pending.clear(args.buf)
    end,
  })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile', 'FileType' }, {
    group = group,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.attach(bufnr)
    end
  end
end

return M
