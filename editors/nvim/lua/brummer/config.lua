-- The options of require("brummer").setup() and their defaults.
local M = {}

M.defaults = {
  -- The server command: an executable on $PATH or an absolute path.
  cmd = { "brummer", "lsp" },
  -- Extra environment for the server.
  cmd_env = nil,
  -- Start a server and attach when a buffer under a workspace is opened.
  autostart = true,
  -- Sent as initializationOptions: the keys of .brummer.toml, as a table.
  init_options = {},
  -- Called as on_attach(client, bufnr) for every attached buffer.
  on_attach = nil,
  -- Opens URLs; nil uses vim.ui.open where it exists, else xdg-open/open.
  open_url = nil,
  panel = {
    -- Where :Brummer opens its split.
    position = "botright",
    size = 16,
  },
  logs = {
    -- A log buffer keeps this many of the newest lines.
    max_lines = 5000,
    -- How many of the newest lines it opens with.
    open_lines = 1000,
    -- Appends are batched for this long so a flood of output costs a few
    -- redraws, not one per line.
    flush_ms = 50,
  },
}

M.options = vim.deepcopy(M.defaults)

local function check(opts)
  local errs = {}
  local function want(path, value, kinds)
    if value == nil then
      return
    end
    for _, k in ipairs(kinds) do
      if type(value) == k then
        return
      end
    end
    table.insert(errs, string.format("%s must be a %s, got %s", path, table.concat(kinds, " or "), type(value)))
  end
  want("cmd", opts.cmd, { "table" })
  if type(opts.cmd) == "table" and (type(opts.cmd[1]) ~= "string" or opts.cmd[1] == "") then
    table.insert(errs, 'cmd must start with the server executable, e.g. { "brummer", "lsp" }')
  end
  want("cmd_env", opts.cmd_env, { "table" })
  want("autostart", opts.autostart, { "boolean" })
  want("init_options", opts.init_options, { "table" })
  want("on_attach", opts.on_attach, { "function" })
  want("open_url", opts.open_url, { "function" })
  want("panel", opts.panel, { "table" })
  want("logs", opts.logs, { "table" })
  if type(opts.logs) == "table" then
    want("logs.max_lines", opts.logs.max_lines, { "number" })
    want("logs.open_lines", opts.logs.open_lines, { "number" })
    want("logs.flush_ms", opts.logs.flush_ms, { "number" })
    if type(opts.logs.max_lines) == "number" and opts.logs.max_lines < 1 then
      table.insert(errs, "logs.max_lines must be at least 1")
    end
  end
  return errs
end

-- set merges opts over the defaults. It returns the list of problems
-- found; options with problems keep their defaults.
function M.set(opts)
  opts = opts or {}
  local errs = check(opts)
  if #errs > 0 then
    M.options = vim.deepcopy(M.defaults)
    return errs
  end
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts)
  -- A list replaces the default list rather than merging into it.
  if opts.cmd then
    M.options.cmd = vim.deepcopy(opts.cmd)
  end
  M.options.logs.open_lines = math.min(M.options.logs.open_lines, M.options.logs.max_lines)
  return {}
end

return M
