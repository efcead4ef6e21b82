-- The other commands: completion from the server's scripts and processes,
-- :BrummerRun without a script (a choice labelled with the packages),
-- :BrummerRestart, :BrummerRestartAll, :BrummerStopAll, :BrummerClearLogs.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local root = H.workspace("mono")
local id

-- choose replaces vim.ui.select for one call: it records the labels and
-- picks the first whose label matches pattern.
local function choose(pattern)
  local seen = {}
  local orig = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    vim.ui.select = orig
    local pick
    for _, it in ipairs(items) do
      local label = opts.format_item and opts.format_item(it) or tostring(it)
      table.insert(seen, label)
      if not pick and label:find(pattern) then
        pick = it
      end
    end
    on_choice(pick)
  end
  return seen
end

local function active(script)
  local n = 0
  for _, p in ipairs(H.state(id).processes) do
    if (not script or p.script == script) and (p.status == "running" or p.status == "starting" or p.status == "stopping") then
      n = n + 1
    end
  end
  return n
end

return {
  { "completion lists scripts (qualified when two packages share a name) and processes", function()
    -- init_options reach the server: with the proxy off, URLs have none.
    H.setup({ init_options = { proxy = { enabled = false } } })
    local buf = H.edit(root .. "/package.json")
    id = H.client_of(buf)
    H.wait(5000, function()
      return H.state(id).scripts ~= nil
    end, "the scripts")
    H.eq({ "build@packages/app", "build@packages/lib", "burst" }, vim.fn.getcompletion("BrummerRun b", "cmdline"), "BrummerRun b<Tab>")
    H.eq({ "hello" }, vim.fn.getcompletion("BrummerRun h", "cmdline"), "BrummerRun h<Tab>")
    H.eq({}, vim.fn.getcompletion("BrummerStop ", "cmdline"), "nothing running to stop")
  end },

  { ":BrummerRun without a script asks, labelled with the packages", function()
    local seen = choose("^build%s+packages/lib")
    vim.cmd("BrummerRun")
    H.eq(6, #seen, "every script offered: " .. vim.inspect(seen))
    local lib = H.process(id, "build", "success")
    H.eq(root .. "/packages/lib", lib.dir, "the chosen package's build ran")
    -- A qualified name picks the package too.
    vim.cmd("BrummerRun build@packages/app")
    H.wait(10000, function()
      local p = H.state(id).processes[1]
      return p.script == "build" and p.dir == root .. "/packages/app" and p.status == "success"
    end, "the app's build to succeed")
  end },

  { ":BrummerRestart gives a new process; :BrummerRestartAll restarts every running one", function()
    vim.cmd("BrummerRun dev")
    local first = H.process(id, "dev", "running")
    H.eq({ "dev", first.id }, vim.fn.getcompletion("BrummerStop ", "cmdline"), "the running process completes")
    vim.cmd("BrummerRestart dev")
    local second = H.process(id, "dev", function(p)
      return p.id ~= first.id and p.status == "running"
    end)
    H.ok(not require("brummer.util").exists("/proc/" .. first.pid), "the first dev server is gone")
    vim.cmd("BrummerRestartAll")
    local third = H.process(id, "dev", function(p)
      return p.id ~= second.id and p.id ~= first.id and p.status == "running"
    end)
    H.eq(1, active("dev"), "one dev server runs")
    H.ok(third.pid ~= second.pid, "a new pid")
  end },

  { ":BrummerLogs by id, then :BrummerStopAll leaves nothing running", function()
    local p = H.process(id, "dev", "running")
    H.wait(5000, function()
      return #p.urls > 0 or #H.process(id, "dev", "running").urls > 0
    end, "the dev server's URL")
    p = H.process(id, "dev", "running")
    H.ok(p.urls[1].proxyUrl == nil or p.urls[1].proxyUrl == "" or p.urls[1].proxyUrl == vim.NIL,
      "no proxy with proxy.enabled = false: " .. vim.inspect(p.urls[1]))
    vim.cmd("BrummerLogs " .. p.id)
    local log = vim.api.nvim_get_current_buf()
    H.wait(5000, function()
      return H.find_line(log, "Local:%s+http://127%.0%.0%.1:%d+/")
    end, "the dev server's output")
    vim.cmd("close")
    vim.cmd("BrummerStopAll")
    H.wait(10000, function()
      return active() == 0
    end, "nothing running")
    H.eq({}, H.processes_under(root), "processes under the workspace")
  end },

  { ":BrummerClearLogs drops the logs and the problems", function()
    H.edit(root .. "/packages/app/src/main.ts")
    vim.cmd("BrummerRun typecheck")
    local p = H.process(id, "typecheck", "failed")
    local main = vim.api.nvim_get_current_buf()
    H.wait(10000, function()
      return #vim.diagnostic.get(main) == 2
    end, "main.ts's diagnostics")
    vim.cmd("BrummerClearLogs")
    H.wait(10000, function()
      return #vim.diagnostic.get(main) == 0
    end, "the diagnostics to go")
    local res = H.server().request_sync(id, "brummer/logs", { processId = p.id }, 2000)
    H.eq(0, #res.entries, "log entries left")
  end },
}
