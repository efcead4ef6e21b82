-- The :Brummer* commands: argument resolution (script names, process ids,
-- URLs), completion from the server's cached scripts and processes, and
-- the workspace/executeCommand calls.
local server = require("brummer.server")
local util = require("brummer.util")

local M = {}

local ACTIVE = { starting = true, running = true, stopping = true }

function M.is_active(proc)
  return ACTIVE[proc.status] == true
end

-- client picks the server a command talks to: the one of the current
-- buffer, else the one whose root holds the buffer or the working
-- directory, else the only one running, else a new one for the buffer.
function M.client(quiet)
  local buf = vim.api.nvim_get_current_buf()
  local id = server.for_buffer(buf)
  if id then
    return id
  end
  local r = server.file_root(buf) or require("brummer.root").find(vim.fn.getcwd())
  if r and server.clients[r] and server.states[server.clients[r]] then
    return server.clients[r]
  end
  local ids = vim.tbl_keys(server.states)
  if #ids == 1 then
    return ids[1]
  end
  if #ids > 1 then
    if not quiet then
      util.error("several brummer servers run; use the command from a buffer of the workspace you mean")
    end
    return nil
  end
  -- Completion (quiet) never starts a server; a command does.
  local froot = server.file_root(buf)
  if froot and not quiet then
    return server.ensure(froot, buf, true)
  end
  if not quiet then
    util.error("no brummer workspace here: open a package.json (or a file under one) first")
  end
  return nil
end

local function st_of(id)
  return server.states[id] or {}
end

-- package_label: a script's package, relative to the workspace root.
local function package_label(id, script)
  local st = st_of(id)
  return util.relative(script.dir or "", st.root or "")
end

local function script_label(id, script, qualify)
  if qualify then
    return script.name .. "@" .. package_label(id, script)
  end
  return script.name
end

-- name_counts: how many packages declare each script name.
local function name_counts(scripts)
  local counts = {}
  for _, s in ipairs(scripts) do
    counts[s.name] = (counts[s.name] or 0) + 1
  end
  return counts
end

local function with_scripts(id, cb)
  local st = st_of(id)
  if st.scripts then
    cb(st.scripts)
    return
  end
  server.refresh_scripts(id, function(err, result)
    if err then
      util.error("brummer/scripts: " .. (err.message or vim.inspect(err)))
      return
    end
    cb(result or {})
  end)
end

local function report(verb)
  return function(err, result)
    if err then
      util.error(err.message or vim.inspect(err))
      return
    end
    if verb and type(result) == "table" and result.id then
      util.notify(string.format("%s %s (%s)", verb, result.script, result.id))
    end
  end
end

-- pick_script resolves arg ("name" or "name@pkg") to one script; more than
-- one match asks (the package of the current file first).
local function pick_script(id, arg, cb)
  with_scripts(id, function(scripts)
    if #scripts == 0 then
      util.error("the workspace declares no scripts")
      return
    end
    local counts = name_counts(scripts)
    local matches = {}
    for _, s in ipairs(scripts) do
      if arg == nil or arg == "" or s.name == arg or script_label(id, s, true) == arg then
        table.insert(matches, s)
      end
    end
    if #matches == 0 then
      local names = {}
      for _, s in ipairs(scripts) do
        table.insert(names, script_label(id, s, counts[s.name] > 1))
      end
      util.error(string.format("no script %q in this workspace; the scripts are: %s", arg, table.concat(names, ", ")))
      return
    end
    if #matches > 1 and arg and arg ~= "" then
      -- The package holding the current file wins.
      local file = vim.api.nvim_buf_get_name(0)
      local best
      for _, s in ipairs(matches) do
        if file ~= "" and util.is_under(file, s.dir) and (not best or #s.dir > #best.dir) then
          best = s
        end
      end
      if best then
        cb(best)
        return
      end
    end
    if #matches == 1 then
      cb(matches[1])
      return
    end
    vim.ui.select(matches, {
      prompt = "Run script:",
      format_item = function(s)
        return string.format("%-16s %-16s %s", s.name, package_label(id, s), s.command or "")
      end,
    }, function(choice)
      if choice then
        cb(choice)
      end
    end)
  end)
end

-- pick_process resolves arg (a process id or a script name) among the
-- processes filter accepts; no arg: the only one, else ask.
local function pick_process(id, arg, filter, what, cb)
  local procs = {}
  for _, p in ipairs(st_of(id).processes or {}) do
    if filter(p) then
      table.insert(procs, p)
    end
  end
  if arg and arg ~= "" then
    for _, p in ipairs(st_of(id).processes or {}) do
      if p.id == arg then
        cb(p)
        return
      end
    end
    -- A script name: its newest matching process (the list is newest first).
    for _, p in ipairs(procs) do
      if p.script == arg or (p.script .. "@" .. package_label(id, p)) == arg then
        cb(p)
        return
      end
    end
    util.error(string.format("no %s process %q (give a process id or a script name)", what, arg))
    return
  end
  if #procs == 0 then
    util.error(string.format("no %s process", what))
    return
  end
  if #procs == 1 then
    cb(procs[1])
    return
  end
  vim.ui.select(procs, {
    prompt = "Process:",
    format_item = function(p)
      return string.format("%-4s %-16s %-10s %s", p.id, p.script, p.status, package_label(id, p))
    end,
  }, function(choice)
    if choice then
      cb(choice)
    end
  end)
end

local function any()
  return true
end

-- run starts script (or asks which); done(err, process) is for callers.
function M.run_script(id, script, done)
  server.execute(id, "brummer.run", { script = script.name, dir = script.dir }, done or report("started"))
end

function M.run(opts)
  local id = M.client()
  if not id then
    return
  end
  pick_script(id, opts and opts.args, function(script)
    M.run_script(id, script)
  end)
end

function M.stop(opts)
  local id = M.client()
  if not id then
    return
  end
  pick_process(id, opts and opts.args, M.is_active, "running", function(p)
    server.execute(id, "brummer.stop", { id = p.id }, report("stopped"))
  end)
end

function M.restart(opts)
  local id = M.client()
  if not id then
    return
  end
  local arg = opts and opts.args
  local has_active = false
  for _, p in ipairs(st_of(id).processes or {}) do
    has_active = has_active or M.is_active(p)
  end
  pick_process(id, arg, (has_active and not (arg and arg ~= "")) and M.is_active or any, "known", function(p)
    server.execute(id, "brummer.restart", { id = p.id }, report("restarted"))
  end)
end

function M.stop_all()
  local id = M.client()
  if id then
    server.execute(id, "brummer.stopAll", vim.empty_dict(), report())
  end
end

function M.restart_all()
  local id = M.client()
  if id then
    server.execute(id, "brummer.restartAll", vim.empty_dict(), report())
  end
end

function M.clear_logs(opts)
  local id = M.client()
  if not id then
    return
  end
  local arg = opts and opts.args
  if not arg or arg == "" then
    server.execute(id, "brummer.clearLogs", vim.empty_dict(), report())
    return
  end
  pick_process(id, arg, any, "known", function(p)
    server.execute(id, "brummer.clearLogs", { id = p.id }, report())
  end)
end

function M.logs(opts)
  local id = M.client()
  if not id then
    return
  end
  pick_process(id, opts and opts.args, any, "known", function(p)
    require("brummer.logs").open(id, p)
  end)
end

-- url_choices: every URL and proxy URL the server announced.
local function url_choices(id)
  local out = {}
  for _, u in ipairs(st_of(id).urls or {}) do
    table.insert(out, { url = u.url, label = string.format("%-10s %s", u.script or "", u.url) })
    if type(u.proxyUrl) == "string" and u.proxyUrl ~= "" then
      table.insert(out, { url = u.proxyUrl, label = string.format("%-10s %s (proxy of %s)", u.script or "", u.proxyUrl, u.url) })
    end
  end
  return out
end

function M.open(opts)
  local arg = opts and opts.args
  local opener = require("brummer.config").options.open_url
  if arg and arg ~= "" then
    util.open_url(arg, opener)
    return
  end
  local id = M.client()
  if not id then
    return
  end
  local choices = url_choices(id)
  if #choices == 0 then
    util.error("no URL yet: run a dev server first")
    return
  end
  if #choices == 1 then
    util.open_url(choices[1].url, opener)
    return
  end
  vim.ui.select(choices, {
    prompt = "Open URL:",
    format_item = function(c)
      return c.label
    end,
  }, function(choice)
    if choice then
      util.open_url(choice.url, opener)
    end
  end)
end

local SEVERITY = { "E", "W", "I", "N" }

-- problems fills the quickfix list from brummer/problems; done(items) is
-- for callers that want the list.
function M.problems(_, done)
  local id = M.client()
  if not id then
    return
  end
  server.request(id, "brummer/problems", vim.empty_dict(), function(err, result)
    if err then
      util.error("brummer/problems: " .. (err.message or vim.inspect(err)))
      return
    end
    local items = {}
    for _, p in ipairs(result or {}) do
      local d = p.diagnostic or {}
      local path = vim.uri_to_fname(p.uri)
      local start = (d.range or {}).start or { line = 0, character = 0 }
      local line = util.file_line(path, start.line)
      local label = d.source and ("[" .. d.source .. (d.code and d.code ~= vim.NIL and (" " .. tostring(d.code)) or "") .. "] ") or ""
      table.insert(items, {
        filename = path,
        lnum = start.line + 1,
        col = util.byte_col(line, start.character) + 1,
        type = SEVERITY[d.severity or 1] or "E",
        text = label .. (d.message or ""),
      })
    end
    vim.fn.setqflist({}, " ", { title = "Brummer problems", items = items })
    if done then
      done(items)
    elseif #items > 0 then
      vim.cmd("botright copen")
    else
      util.notify("no problems")
    end
  end)
end

function M.panel()
  local id = M.client()
  if id then
    require("brummer.panel").open(id)
  end
end

-- Completion -------------------------------------------------------------

local function matching(items, lead)
  local out, seen = {}, {}
  for _, it in ipairs(items) do
    if not seen[it] and it:sub(1, #lead) == lead then
      seen[it] = true
      table.insert(out, it)
    end
  end
  table.sort(out)
  return out
end

function M.complete_scripts(lead)
  local id = M.client(true)
  if not id then
    return {}
  end
  local st = st_of(id)
  local scripts = st.scripts or server.request_sync(id, "brummer/scripts", vim.empty_dict(), 500) or {}
  local counts = name_counts(scripts)
  local items = {}
  for _, s in ipairs(scripts) do
    table.insert(items, script_label(id, s, counts[s.name] > 1))
  end
  return matching(items, lead or "")
end

local function complete_processes(lead, filter)
  local id = M.client(true)
  if not id then
    return {}
  end
  local items = {}
  for _, p in ipairs(st_of(id).processes or {}) do
    if filter(p) then
      table.insert(items, p.id)
      table.insert(items, p.script)
    end
  end
  return matching(items, lead or "")
end

function M.complete_running(lead)
  return complete_processes(lead, M.is_active)
end

function M.complete_processes(lead)
  return complete_processes(lead, any)
end

function M.complete_urls(lead)
  local id = M.client(true)
  if not id then
    return {}
  end
  local items = {}
  for _, c in ipairs(url_choices(id)) do
    table.insert(items, c.url)
  end
  return matching(items, lead or "")
end

return M
