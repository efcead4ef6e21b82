-- Starting `brummer lsp`, one per workspace root, attaching buffers to it,
-- and the per-server cache of what the server last announced (processes,
-- URLs, scripts). Other modules read the cache and listen for changes; they
-- never poll the server.
local config = require("brummer.config")
local root = require("brummer.root")
local util = require("brummer.util")

local M = {}

-- clients[root] = client id of the server for that root.
M.clients = {}
-- states[client id] = what the plugin knows about that server.
M.states = {}
-- failed[root] = true after a start failed or the server crashed: autostart
-- leaves that root alone until setup() runs again or a command asks.
M.failed = {}

local listeners = {}

-- on registers fn(client_id, data) for an event: "ready", "processes",
-- "urls", "scripts", "log" (a brummer/logAppended params table), "exit".
function M.on(event, fn)
  listeners[event] = listeners[event] or {}
  table.insert(listeners[event], fn)
end

function M.emit(event, id, data)
  for _, fn in ipairs(listeners[event] or {}) do
    local ok, err = pcall(fn, id, data)
    if not ok then
      util.error(string.format("%s handler: %s", event, tostring(err)))
    end
  end
end

local function new_state(root_dir)
  return {
    root = root_dir,
    ready = false,
    queue = {},
    buffers = {},
    processes = {},
    urls = {},
    scripts = nil,
    info = nil,
    protocol = nil,
    stopping = false,
  }
end

-- request sends method to the server once it is initialized and calls
-- cb(err, result) on the main loop; err is a table with a message.
function M.request(id, method, params, cb)
  cb = cb or function() end
  local st = M.states[id]
  local client = vim.lsp.get_client_by_id(id)
  if not st or not client then
    cb({ message = "the brummer server is not running" })
    return
  end
  if not st.ready then
    table.insert(st.queue, function()
      M.request(id, method, params, cb)
    end)
    return
  end
  -- client.rpc is the stable low-level interface on every Neovim release
  -- (client.request became a method in 0.11).
  local ok = client.rpc.request(method, params, function(err, result)
    cb(err, result)
  end)
  if not ok then
    cb({ message = "the brummer server has exited" })
  end
end

-- request_sync waits up to timeout ms for an answer (for completion, which
-- must answer at once); nil on timeout or error.
function M.request_sync(id, method, params, timeout)
  local done, answer = false, nil
  M.request(id, method, params, function(err, result)
    done = true
    if not err then
      answer = result
    end
  end)
  vim.wait(timeout or 500, function()
    return done
  end, 10)
  return answer
end

-- execute runs a brummer.* command; cb(err, result).
function M.execute(id, command, arg, cb)
  M.request(id, "workspace/executeCommand", { command = command, arguments = { arg or vim.empty_dict() } }, cb)
end

function M.refresh_scripts(id, cb)
  M.request(id, "brummer/scripts", vim.empty_dict(), function(err, result)
    local st = M.states[id]
    if not err and st and type(result) == "table" then
      st.scripts = result
      M.emit("scripts", id, result)
    end
    if cb then
      cb(err, result)
    end
  end)
end

local function set_processes(id, list)
  local st = M.states[id]
  if st and type(list) == "table" then
    st.processes = list
    M.emit("processes", id, list)
  end
end

local function set_urls(id, list)
  local st = M.states[id]
  if st and type(list) == "table" then
    st.urls = list
    M.emit("urls", id, list)
  end
end

local function handlers()
  local h = {
    ["brummer/processesChanged"] = function(_, params, ctx)
      set_processes(ctx.client_id, params and params.processes)
    end,
    ["brummer/urlsChanged"] = function(_, params, ctx)
      set_urls(ctx.client_id, params and params.urls)
    end,
    ["brummer/logAppended"] = function(_, params, ctx)
      if type(params) == "table" then
        M.emit("log", ctx.client_id, params)
      end
    end,
    -- brummer.openUrl asks for an external document; Neovim's own handler
    -- does not open a browser on every release.
    ["window/showDocument"] = function(err, params, ctx, cfg)
      local uri = params and params.uri
      if type(uri) == "string" and (params.external or uri:match("^https?://")) then
        return { success = util.open_url(uri, config.options.open_url) }
      end
      local default = vim.lsp.handlers["window/showDocument"]
      if default then
        return default(err, params, ctx, cfg)
      end
      return { success = false }
    end,
  }
  -- Where Neovim handles workspace/codeLens/refresh itself, its handler
  -- stays; where it does not, ours re-requests the lenses.
  if not vim.lsp.handlers["workspace/codeLens/refresh"] then
    h["workspace/codeLens/refresh"] = function(_, _, ctx)
      require("brummer.codelens").refresh_client(ctx.client_id)
      return vim.NIL
    end
  end
  return h
end

-- lens_commands run the lenses' commands through the plugin, so that an
-- error is shown as a message and the lenses refresh after it.
local function lens_commands()
  local cmds = {}
  for _, name in ipairs({ "brummer.run", "brummer.stop", "brummer.restart", "brummer.openUrl" }) do
    cmds[name] = function(command, ctx)
      local arg = command.arguments and command.arguments[1]
      M.execute(ctx.client_id, name, arg, function(err)
        if err then
          util.error(err.message or vim.inspect(err))
        end
        require("brummer.codelens").refresh_client(ctx.client_id)
      end)
    end
  end
  -- The status lens ("● running since 14:03") has no command: it opens the panel.
  cmds[""] = function(_, ctx)
    require("brummer.panel").open(ctx.client_id)
  end
  return cmds
end

local function on_init(client, result)
  local st = M.states[client.id]
  if not st then
    return
  end
  st.info = result and result.serverInfo
  local exp = result and result.capabilities and result.capabilities.experimental
  st.protocol = type(exp) == "table" and type(exp.brummer) == "table" and exp.brummer.protocol or nil
  -- Neovim registers the client as active only after on_init returns
  -- (get_client_by_id is nil until then on 0.7): talk to it afterwards.
  vim.schedule(function()
    if M.states[client.id] ~= st then
      return
    end
    st.ready = true
    local queue = st.queue
    st.queue = {}
    for _, fn in ipairs(queue) do
      fn()
    end
    M.refresh_scripts(client.id)
    M.request(client.id, "brummer/processes", vim.empty_dict(), function(err, list)
      if not err then
        set_processes(client.id, list)
      end
    end)
    M.request(client.id, "brummer/urls", vim.empty_dict(), function(err, list)
      if not err then
        set_urls(client.id, list)
      end
    end)
    M.emit("ready", client.id, st)
  end)
end

-- log_path: where Neovim writes the servers' stderr.
local function log_path()
  local log = vim.lsp.log
  if log and type(log.get_filename) == "function" then
    return log.get_filename()
  end
  return vim.lsp.get_log_path()
end

local function on_exit(code, signal, id)
  vim.schedule(function()
    local st = M.states[id]
    if not st then
      return
    end
    if M.clients[st.root] == id then
      M.clients[st.root] = nil
    end
    M.states[id] = nil
    for _, fn in ipairs(st.queue) do
      pcall(fn)
    end
    if not st.stopping and (code ~= 0 or (signal or 0) ~= 0) then
      M.failed[st.root] = true
      local exe = config.options.cmd[1]
      local path = vim.fn.exepath(exe)
      util.error(string.format(
        "the server %s exited with code %d%s for %s. Check it with `%s version` or set cmd in require(\"brummer\").setup({cmd = {...}}); its stderr is in %s",
        path ~= "" and path or exe,
        code,
        (signal or 0) ~= 0 and (" (signal " .. signal .. ")") or "",
        st.root,
        path ~= "" and path or exe,
        log_path()
      ))
    end
    M.emit("exit", id, st)
  end)
end

-- restore_diagnostics puts back a file's problems when it is loaded again:
-- Neovim drops the diagnostics of a buffer it unloads, and the server
-- published them once, when they were found.
local function restore_diagnostics(id, bufnr)
  local ns = vim.lsp.diagnostic.get_namespace(id)
  if #vim.diagnostic.get(bufnr, { namespace = ns }) > 0 then
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  M.request(id, "brummer/problems", vim.empty_dict(), function(err, items)
    if err or type(items) ~= "table" or not vim.api.nvim_buf_is_loaded(bufnr) then
      return
    end
    if #vim.diagnostic.get(bufnr, { namespace = ns }) > 0 then
      return
    end
    local diags = {}
    for _, it in ipairs(items) do
      if it.uri == uri then
        table.insert(diags, it.diagnostic)
      end
    end
    if #diags > 0 then
      vim.lsp.diagnostic.on_publish_diagnostics(nil, { uri = uri, diagnostics = diags },
        { method = "textDocument/publishDiagnostics", client_id = id, bufnr = bufnr }, {})
    end
  end)
end

local function on_attach(client, bufnr)
  local st = M.states[client.id]
  if st then
    st.buffers[bufnr] = true
  end
  restore_diagnostics(client.id, bufnr)
  if vim.api.nvim_buf_get_name(bufnr):match("/package%.json$") then
    require("brummer.codelens").attach(bufnr, client.id)
  end
  if config.options.on_attach then
    local ok, err = pcall(config.options.on_attach, client, bufnr)
    if not ok then
      util.error("on_attach: " .. tostring(err))
    end
  end
end

local function client_config(root_dir)
  local opts = config.options
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.workspace = caps.workspace or {}
  caps.workspace.codeLens = vim.tbl_extend("force", caps.workspace.codeLens or {}, { refreshSupport = true })
  caps.window = caps.window or {}
  caps.window.showDocument = { support = true }
  local init = opts.init_options
  if type(init) ~= "table" or next(init) == nil then
    init = nil
  end
  return {
    name = "brummer",
    cmd = opts.cmd,
    cmd_env = opts.cmd_env,
    root_dir = root_dir,
    workspace_folders = { { uri = vim.uri_from_fname(root_dir), name = util.basename(root_dir) } },
    init_options = init,
    capabilities = caps,
    handlers = handlers(),
    commands = lens_commands(),
    on_init = on_init,
    on_exit = on_exit,
    on_attach = on_attach,
    flags = { debounce_text_changes = 150 },
  }
end

local told_missing = {}

-- check_cmd: the configured server binary exists; else one message naming
-- the path and the option (once per path unless loud).
local function check_cmd(loud)
  local exe = config.options.cmd[1]
  if vim.fn.executable(exe) == 1 then
    return true
  end
  if loud or not told_missing[exe] then
    told_missing[exe] = true
    local why = exe:find("/", 1, true) and "is not an executable file" or "was not found on $PATH"
    util.error(string.format(
      'cannot start the server: %s %s. Install brummer or set cmd in require("brummer").setup({cmd = {"/path/to/brummer", "lsp"}})',
      exe,
      why
    ))
  end
  return false
end

local function attach(bufnr, id)
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

-- ensure returns the id of the server for root_dir, starting it when there
-- is none, and attaches bufnr (optional) to it. nil when it cannot start.
function M.ensure(root_dir, bufnr, loud)
  local id = M.clients[root_dir]
  if id and M.states[id] then
    if vim.lsp.get_client_by_id(id) then
      attach(bufnr, id)
      return id
    end
    -- It has exited and its on_exit has not run yet: starting another now
    -- would hide a crash behind a second start.
    return nil
  end
  if not check_cmd(loud) then
    M.failed[root_dir] = true
    return nil
  end
  local cfg = client_config(root_dir)
  local ok, res
  -- vim.lsp.start (0.8+) starts and attaches in one call; before it,
  -- start_client + buf_attach_client.
  if type(vim.lsp.start) == "function" and bufnr then
    ok, res = pcall(vim.lsp.start, cfg, {
      bufnr = bufnr,
      reuse_client = function(client, conf)
        return client.name == "brummer" and client.config.root_dir == conf.root_dir
      end,
    })
  else
    ok, res = pcall(vim.lsp.start_client, cfg)
  end
  if not ok or not res then
    M.failed[root_dir] = true
    util.error(string.format(
      'cannot start the server %s for %s: %s. Check cmd in require("brummer").setup()',
      table.concat(config.options.cmd, " "),
      root_dir,
      ok and "it did not start" or tostring(res)
    ))
    return nil
  end
  id = res
  if not M.states[id] then
    M.states[id] = new_state(root_dir)
  end
  M.clients[root_dir] = id
  M.failed[root_dir] = nil
  attach(bufnr, id)
  return id
end

-- file_root: the workspace root of a file buffer, nil for other buffers.
function M.file_root(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or name:match("^%a[%w+.-]*://") then
    return nil
  end
  return root.find(name)
end

-- autostart attaches a file buffer to its workspace's server.
function M.autostart(bufnr)
  local r = M.file_root(bufnr)
  if not r or M.failed[r] then
    return
  end
  M.ensure(r, bufnr, false)
end

-- for_buffer: the server a buffer is attached to (or, for the plugin's
-- own buffers, the one they show).
function M.for_buffer(bufnr)
  local ok, id = pcall(vim.api.nvim_buf_get_var, bufnr, "brummer_client")
  if ok and M.states[id] then
    return id
  end
  for cid, st in pairs(M.states) do
    if st.buffers[bufnr] then
      return cid
    end
  end
  return nil
end

function M.stop(id)
  local st = M.states[id]
  if st then
    st.stopping = true
  end
  vim.lsp.stop_client(id)
end

return M
