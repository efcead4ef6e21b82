-- User commands only: nothing runs at startup. require("brummer").setup()
-- starts servers for the buffers you open.
if vim.g.loaded_brummer then
  return
end
vim.g.loaded_brummer = true

local function define(name, fn, opts)
  opts = opts or {}
  vim.api.nvim_create_user_command(name, function(args)
    local util = require("brummer.util")
    util.guard(function()
      require("brummer.commands")[fn](args)
    end)()
  end, opts)
end

local function complete(fn)
  return function(lead)
    local ok, items = pcall(function()
      return require("brummer.commands")[fn](lead)
    end)
    return ok and items or {}
  end
end

define("Brummer", "panel", { desc = "Brummer: the panel of scripts, processes and URLs" })
define("BrummerRun", "run", { nargs = "?", complete = complete("complete_scripts"), desc = "Brummer: run a script" })
define("BrummerStop", "stop", { nargs = "?", complete = complete("complete_running"), desc = "Brummer: stop a process" })
define("BrummerRestart", "restart", { nargs = "?", complete = complete("complete_processes"), desc = "Brummer: restart a process" })
define("BrummerStopAll", "stop_all", { desc = "Brummer: stop every process" })
define("BrummerRestartAll", "restart_all", { desc = "Brummer: restart every running process" })
define("BrummerClearLogs", "clear_logs", { nargs = "?", complete = complete("complete_processes"), desc = "Brummer: clear stored logs and their problems" })
define("BrummerLogs", "logs", { nargs = "?", complete = complete("complete_processes"), desc = "Brummer: follow a process's log" })
define("BrummerOpen", "open", { nargs = "?", complete = complete("complete_urls"), desc = "Brummer: open a URL or its proxy" })
define("BrummerProblems", "problems", { desc = "Brummer: every problem in the quickfix list" })
