-- require("brummer"): setup() and the small public API (status for
-- statuslines, lenses). The work lives in the other modules.
local config = require("brummer.config")
local util = require("brummer.util")

local M = {}

local HIGHLIGHTS = {
  BrummerHeader = "Title",
  BrummerSection = "Statement",
  BrummerPackage = "Directory",
  BrummerDim = "Comment",
  BrummerRunning = "String",
  BrummerStarting = "DiagnosticWarn",
  BrummerStopped = "Comment",
  BrummerSuccess = "DiagnosticInfo",
  BrummerFailed = "DiagnosticError",
  BrummerUrl = "Underlined",
  BrummerLogError = "DiagnosticError",
  BrummerLogWarn = "DiagnosticWarn",
}

function M.highlights()
  for group, link in pairs(HIGHLIGHTS) do
    vim.cmd(string.format("highlight default link %s %s", group, link))
  end
end

-- setup sets the options and, with autostart, attaches every file buffer
-- under a workspace (those open now and those opened later).
function M.setup(opts)
  -- A plugin manager may add the plugin to 'runtimepath' after Neovim
  -- sourced plugin/ files: define the commands then.
  if not vim.g.loaded_brummer then
    vim.cmd("runtime plugin/brummer.lua")
  end
  local errs = config.set(opts)
  if #errs > 0 then
    util.error("setup: " .. table.concat(errs, "; ") .. " (using the defaults)")
  end
  M.highlights()
  local server = require("brummer.server")
  require("brummer.codelens")
  server.failed = {}
  local group = vim.api.nvim_create_augroup("Brummer", { clear = true })
  vim.api.nvim_create_autocmd("ColorScheme", { group = group, callback = M.highlights })
  vim.api.nvim_create_autocmd("BufWritePost", {
    group = group,
    pattern = "package.json",
    callback = function(args)
      local id = server.for_buffer(args.buf)
      if id then
        server.refresh_scripts(id)
      end
    end,
  })
  if config.options.autostart then
    vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
      group = group,
      callback = function(args)
        server.autostart(args.buf)
      end,
    })
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) then
        server.autostart(buf)
      end
    end
  end
end

-- counts: processes running, and errors and warnings of the newest run of
-- each script, over every server. Cheap: read from the cached snapshots.
function M.counts()
  local out = { running = 0, errors = 0, warnings = 0, servers = 0 }
  local ok, server = pcall(require, "brummer.server")
  if not ok then
    return out
  end
  for _, st in pairs(server.states) do
    out.servers = out.servers + 1
    local seen = {}
    for _, p in ipairs(st.processes or {}) do
      if p.status == "running" or p.status == "starting" then
        out.running = out.running + 1
      end
      local k = (p.dir or "") .. "\0" .. (p.script or "")
      if not seen[k] then
        seen[k] = true
        out.errors = out.errors + (p.errors or 0)
        out.warnings = out.warnings + (p.warnings or 0)
      end
    end
  end
  return out
end

-- status is a short text for a statusline: "▶2 ✗3 ⚠1" ("" with no server).
function M.status()
  local c = M.counts()
  if c.servers == 0 then
    return ""
  end
  return string.format("▶%d ✗%d ⚠%d", c.running, c.errors, c.warnings)
end

-- lenses returns the code lenses shown on a buffer.
function M.lenses(bufnr)
  return require("brummer.codelens").get(bufnr or 0)
end

return M
