-- :checkhealth brummer: the server binary, its version, and the server of
-- the buffer :checkhealth was started from (with its root and protocol).
local M = {}

-- The reporting functions moved over the releases: vim.health.start/ok
-- (0.10+), vim.health.report_* (0.8, 0.9), health#report_* (0.7).
local function reporter(name)
  local h = vim.health or {}
  local fn = h[name] or h["report_" .. name]
  if fn then
    return fn
  end
  return function(...)
    return vim.fn["health#report_" .. name](...)
  end
end

local start, ok, warn, err, info =
  reporter("start"), reporter("ok"), reporter("warn"), reporter("error"), reporter("info")

local function check_binary(cmd)
  local exe = cmd[1]
  local path = vim.fn.exepath(exe)
  if path == "" then
    err(string.format("server binary %s not found", exe), {
      "Install it: go install github.com/brummer-dev/brummer/cmd/brummer@latest (or `make install` in the repository)",
      'Or point the plugin at it: require("brummer").setup({cmd = {"/path/to/brummer", "lsp"}})',
    })
    return
  end
  ok("server binary: " .. path)
  local out = vim.fn.system({ path, "version" })
  if vim.v.shell_error ~= 0 then
    err(string.format("`%s version` failed (exit %d): %s", path, vim.v.shell_error, vim.trim(out)))
    return
  end
  ok("version: " .. vim.trim(out))
end

local function check_servers(server)
  -- :checkhealth opens its own buffer; the buffer the user was in is the
  -- alternate one.
  local from = vim.fn.bufnr("#")
  local mine = from > 0 and server.for_buffer(from) or nil
  if from > 0 then
    local name = vim.api.nvim_buf_get_name(from)
    if mine then
      ok(string.format("%s is attached to the server for %s", name ~= "" and name or "buffer " .. from, server.states[mine].root))
    elseif name ~= "" then
      local r = server.file_root(from)
      if r then
        warn(string.format("%s is under %s but not attached", name, r), { "Run :BrummerRun or reopen the file; is autostart off?" })
      else
        info(string.format("%s is not under a workspace (no package.json above it)", name))
      end
    end
  end
  local any = false
  for id, st in pairs(server.states) do
    any = true
    local version = st.info and st.info.version or "?"
    if not st.ready then
      warn(string.format("server %d for %s is still starting", id, st.root))
    elseif st.protocol == 1 then
      local n = vim.tbl_count(st.buffers)
      ok(string.format("server %d for %s: brummer %s, protocol %d, %d buffer(s)", id, st.root, version, st.protocol, n))
    else
      err(string.format("server %d for %s speaks protocol %s; this plugin speaks 1", id, st.root, tostring(st.protocol)), {
        "Update the plugin and the brummer binary together",
      })
    end
  end
  if not any then
    info("no server running yet: open a package.json (or a file under one)")
  end
end

function M.check()
  start("brummer")
  local config = require("brummer.config")
  if vim.fn.has("nvim-0.7") ~= 1 then
    err("Neovim 0.7 or newer is needed")
  end
  check_binary(config.options.cmd)
  check_servers(require("brummer.server"))
end

return M
