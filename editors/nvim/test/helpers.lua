-- The test harness: runs one spec file in this (headless) Neovim, against
-- the real brummer binary ($BRUMMER_BIN) and a scratch copy of a fixture
-- workspace. Any failed check ends Neovim with exit code 1.
local H = {}

local uv = vim.uv or vim.loop

H.here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
H.plugin = vim.fn.fnamemodify(H.here, ":h")
H.bin = os.getenv("BRUMMER_BIN")

-- Messages the plugin showed: {msg, level}.
H.notes = {}
-- Errors a spec announced it expects (patterns); any other error-level
-- message fails the spec.
H.expected_errors = {}

vim.notify = function(msg, level)
  table.insert(H.notes, { msg = tostring(msg), level = level or vim.log.levels.INFO })
  io.stdout:write(string.format("  [notify %s] %s\n", tostring(level), tostring(msg)))
end

local function fail(msg)
  error(msg, 3)
end

function H.ok(cond, msg)
  if not cond then
    fail("check failed: " .. (msg or "?"))
  end
  return cond
end

function H.eq(want, got, msg)
  if not vim.deep_equal(want, got) then
    fail(string.format("%s: want %s, got %s", msg or "not equal", vim.inspect(want), vim.inspect(got)))
  end
end

-- wait waits for pred with a deadline; never a fixed sleep.
function H.wait(ms, pred, what)
  local last
  local ok = vim.wait(ms, function()
    local good, res = pcall(pred)
    if not good then
      last = res
      return false
    end
    return res
  end, 20)
  if not ok then
    fail(string.format("timed out after %d ms waiting for %s%s", ms, what, last and (" (last error: " .. tostring(last) .. ")") or ""))
  end
end

function H.log(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. "\n")
end

-- workspace copies a fixture to a scratch directory and returns its real
-- path.
function H.workspace(name)
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  local out = vim.fn.system({ "cp", "-R", H.here .. "/fixtures/" .. name, dir .. "/" .. name })
  H.ok(vim.v.shell_error == 0, "copying the fixture: " .. out)
  local root = uv.fs_realpath(dir .. "/" .. name)
  H.scratch = dir
  H.root = root
  return root
end

-- setup loads the plugin the way Neovim does (its plugin/ file) and calls
-- setup() with the real binary.
function H.setup(opts)
  vim.cmd("runtime! plugin/brummer.lua")
  opts = vim.tbl_deep_extend("force", { cmd = { H.bin, "lsp" } }, opts or {})
  require("brummer").setup(opts)
end

function H.edit(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

function H.server()
  return require("brummer.server")
end

-- client_of waits for buf to be attached to a ready brummer server.
function H.client_of(buf)
  local server = H.server()
  local id
  H.wait(15000, function()
    id = server.for_buffer(buf)
    return id and server.states[id] and server.states[id].ready
  end, "buffer " .. buf .. " to be attached to a ready brummer server")
  return id
end

function H.state(id)
  return H.server().states[id]
end

-- process waits for the newest process of script whose status satisfies
-- want (a status string or a predicate) and returns it.
function H.process(id, script, want, ms)
  local found
  H.wait(ms or 20000, function()
    found = nil
    for _, p in ipairs(H.state(id).processes or {}) do
      if p.script == script then
        found = p
        break
      end
    end
    if not found then
      return false
    end
    if type(want) == "function" then
      return want(found)
    end
    return found.status == want
  end, string.format("process %s to be %s", script, type(want) == "string" and want or "as wanted"))
  return found
end

function H.buf_lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

function H.find_line(buf, pattern)
  for i, l in ipairs(H.buf_lines(buf)) do
    if l:find(pattern) then
      return i, l
    end
  end
  return nil
end

-- processes_under lists live processes whose working directory is dir or
-- below it (read from /proc).
function H.processes_under(dir)
  local out = {}
  local me = vim.fn.getpid()
  for _, entry in ipairs(vim.fn.readdir("/proc")) do
    local pid = tonumber(entry)
    if pid and pid ~= me then
      local cwd = uv.fs_readlink("/proc/" .. pid .. "/cwd")
      if cwd and (cwd == dir or cwd:sub(1, #dir + 1) == dir .. "/") then
        local stat = require("brummer.util").read_file("/proc/" .. pid .. "/stat") or ""
        -- A zombie has exited; only its parent's wait is missing.
        if not stat:match("^%d+ %b() Z") then
          local cmdline = (require("brummer.util").read_file("/proc/" .. pid .. "/cmdline") or ""):gsub("%z", " ")
          table.insert(out, pid .. " " .. cmdline)
        end
      end
    end
  end
  return out
end

function H.expect_error(pattern)
  table.insert(H.expected_errors, pattern)
end

local function unexpected_errors()
  local bad = {}
  for _, n in ipairs(H.notes) do
    if n.level == vim.log.levels.ERROR then
      local expected = false
      for _, p in ipairs(H.expected_errors) do
        if n.msg:find(p) then
          expected = true
        end
      end
      if not expected then
        table.insert(bad, n.msg)
      end
    end
  end
  return bad
end

local function stop_servers()
  local ok, server = pcall(require, "brummer.server")
  if not ok then
    return
  end
  for id in pairs(server.states) do
    server.stop(id)
  end
  vim.wait(20000, function()
    for id in pairs(server.states) do
      if vim.lsp.get_client_by_id(id) then
        return false
      end
    end
    return true
  end, 20)
end

-- main runs a spec: a file returning a list of {name, fn} steps, run in
-- order; the first failure ends the spec.
function H.main(spec)
  io.stdout:write(string.format("== %s (nvim %s, vim.lsp.start %s)\n", vim.fn.fnamemodify(spec, ":t"),
    tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch),
    type(vim.lsp.start) == "function" and "present" or "absent"))
  local ok, err = xpcall(function()
    H.ok(H.bin and H.bin ~= "" and vim.fn.executable(H.bin) == 1, "BRUMMER_BIN must name the brummer binary, got " .. tostring(H.bin))
    local steps = dofile(spec)
    for _, step in ipairs(steps) do
      local started = uv.hrtime()
      step[2]()
      H.log("  ok   %s (%d ms)", step[1], (uv.hrtime() - started) / 1e6)
    end
    stop_servers()
    local bad = unexpected_errors()
    H.ok(#bad == 0, "unexpected error messages: " .. vim.inspect(bad))
  end, debug.traceback)
  stop_servers()
  if H.root and #H.processes_under(H.root) == 0 and H.scratch then
    vim.fn.delete(H.scratch, "rf")
  end
  if ok then
    io.stdout:write("PASS\n")
    vim.cmd("qall!")
  else
    io.stdout:write("FAIL: " .. tostring(err) .. "\n")
    vim.cmd("cquit 1")
  end
end

return H
