-- Driven by tests/e2e/test_neovim.py: open a file, run a :Trae* command (`params.command`)
-- through the plugin, wait for the server's edit to land in the buffer and for the command's
-- answer, then write the buffer and the notifications out.
local params = vim.fn.json_decode(vim.fn.readfile(vim.env.TRAE_NVIM_TEST))
local notes = {}
vim.notify = function(message)
  table.insert(notes, message)
end

local function text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

local function finish(ok)
  vim.fn.writefile(notes, params.notes)
  if not ok then
    vim.cmd('cquit! 1')
  end
  vim.cmd('qall!')
end

vim.opt.runtimepath:prepend(params.plugin)
local trae = require('trae')
trae.setup({ cmd = params.cmd, settings = params.settings })
vim.cmd('edit ' .. vim.fn.fnameescape(params.file))
local bufnr = vim.api.nvim_get_current_buf()
local original = text(bufnr)

local ready = vim.wait(params.timeout_ms, function()
  local client = trae.client(bufnr)
  return client ~= nil and client.initialized == true
end, 20)
if not ready then
  table.insert(notes, 'test: trae-lsp did not initialize')
  finish(false)
end

vim.cmd(params.command)
local done = vim.wait(params.timeout_ms, function()
  return text(bufnr) ~= original and #notes > 0
end, 20)
if not done then
  table.insert(notes, 'test: no edit or no answer arrived')
  finish(false)
end
vim.fn.writefile(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), params.result)
finish(true)
