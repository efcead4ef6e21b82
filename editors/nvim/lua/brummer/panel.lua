-- :Brummer, the panel: Scripts (per package), Processes and URLs of one
-- server, redrawn from the server's notifications (and once a second from
-- the cache while something runs, for the uptimes).
local commands = require("brummer.commands")
local config = require("brummer.config")
local server = require("brummer.server")
local util = require("brummer.util")

local M = {}

local ns = vim.api.nvim_create_namespace("brummer_panel")
local uv = vim.uv or vim.loop

-- panels[client id] = {buf, items = {[lnum] = item}, timer}
M.panels = {}

local GLYPH = {
  starting = "◌",
  running = "●",
  stopping = "◍",
  stopped = "■",
  success = "✓",
  failed = "✗",
}

local HL = {
  starting = "BrummerStarting",
  running = "BrummerRunning",
  stopping = "BrummerStarting",
  stopped = "BrummerStopped",
  success = "BrummerSuccess",
  failed = "BrummerFailed",
}

local HELP = {
  "<CR>  open the log of the process (on a script: run it; on a URL: open it)",
  "r     run the script / restart the process",
  "s     stop the process (on a script: its running process)",
  "o     open the URL          p  open the proxy URL",
  "q     close                 ?  this help",
}

local function status_text(p)
  local s = p.status or "?"
  if s == "failed" and p.exitCode ~= nil and p.exitCode ~= vim.NIL then
    s = s .. " (exit " .. p.exitCode .. ")"
  end
  return s
end

local function uptime(p)
  local started = util.parse_time(p.startedAt)
  if not started then
    return ""
  end
  local ended = p.endedAt ~= vim.NIL and util.parse_time(p.endedAt) or nil
  return util.duration((ended or util.now()) - started)
end

-- lines builds the panel's text and what each line stands for.
function M.render_lines(id)
  local st = server.states[id] or {}
  local lines, items, hls = {}, {}, {}
  local function add(text, item, hl)
    table.insert(lines, text)
    items[#lines] = item
    if hl then
      table.insert(hls, { #lines - 1, hl })
    end
  end
  local info = st.info and (st.info.name or "brummer") .. " " .. (st.info.version or "") or "starting…"
  add(string.format("Brummer  %s   (%s)   ? for help", st.root or "?", info), nil, "BrummerHeader")
  local panel = M.panels[id]
  if panel and panel.help then
    for _, h in ipairs(HELP) do
      add("  " .. h, nil, "BrummerDim")
    end
  end
  add("", nil)

  -- Processes by script, to show a script's state next to it.
  local latest = {}
  for _, p in ipairs(st.processes or {}) do
    local key = (p.dir or "") .. "\0" .. (p.script or "")
    latest[key] = latest[key] or p
  end

  add("Scripts", nil, "BrummerSection")
  local by_pkg, order = {}, {}
  for _, s in ipairs(st.scripts or {}) do
    local pkg = util.relative(s.dir or "", st.root or "")
    if not by_pkg[pkg] then
      by_pkg[pkg] = {}
      table.insert(order, pkg)
    end
    table.insert(by_pkg[pkg], s)
  end
  if #order == 0 then
    add("  (no scripts)", nil, "BrummerDim")
  end
  for _, pkg in ipairs(order) do
    add("  " .. pkg, nil, "BrummerPackage")
    for _, s in ipairs(by_pkg[pkg]) do
      local p = latest[(s.dir or "") .. "\0" .. s.name]
      local mark = p and commands.is_active(p) and (GLYPH[p.status] or " ") or " "
      add(string.format("    %s %-18s %s", mark, s.name, s.command or ""), { kind = "script", script = s, process = p })
    end
  end
  add("", nil)

  add("Processes", nil, "BrummerSection")
  if #(st.processes or {}) == 0 then
    add("  (none yet: r on a script runs it)", nil, "BrummerDim")
  end
  for _, p in ipairs(st.processes or {}) do
    local counts = string.format("%dE %dW", p.errors or 0, p.warnings or 0)
    local text = string.format(
      "  %s %-4s %-14s %-18s %-8s %-9s %s",
      GLYPH[p.status] or "?",
      p.id,
      p.script,
      status_text(p),
      uptime(p),
      counts,
      util.relative(p.dir or "", st.root or "")
    )
    add(text, { kind = "process", process = p }, HL[p.status])
  end
  add("", nil)

  add("URLs", nil, "BrummerSection")
  if #(st.urls or {}) == 0 then
    add("  (none)", nil, "BrummerDim")
  end
  for _, u in ipairs(st.urls or {}) do
    local proxy = (type(u.proxyUrl) == "string" and u.proxyUrl ~= "") and u.proxyUrl or "(no proxy)"
    add(string.format("  %-14s %s  →  proxy %s", u.script or "", u.url, proxy), { kind = "url", url = u }, "BrummerUrl")
  end
  return lines, items, hls
end

local function any_active(id)
  for _, p in ipairs((server.states[id] or {}).processes or {}) do
    if commands.is_active(p) then
      return true
    end
  end
  return false
end

local function stop_clock(panel)
  if panel.timer then
    panel.timer:stop()
    panel.timer:close()
    panel.timer = nil
  end
end

function M.render(id)
  local panel = M.panels[id]
  if not panel or not vim.api.nvim_buf_is_valid(panel.buf) then
    return
  end
  local lines, items, hls = M.render_lines(id)
  panel.items = items
  vim.bo[panel.buf].modifiable = true
  vim.api.nvim_buf_set_lines(panel.buf, 0, -1, false, lines)
  vim.bo[panel.buf].modifiable = false
  vim.api.nvim_buf_clear_namespace(panel.buf, ns, 0, -1)
  for _, h in ipairs(hls) do
    util.hl_line(panel.buf, ns, h[1], h[2], #lines[h[1] + 1])
  end
  -- The clock redraws the uptimes from the cache while something runs and
  -- the panel is visible; it never asks the server.
  if any_active(id) and vim.fn.bufwinid(panel.buf) ~= -1 then
    if not panel.timer then
      panel.timer = uv.new_timer()
      panel.timer:start(1000, 1000, vim.schedule_wrap(function()
        M.render(id)
      end))
    end
  else
    stop_clock(panel)
  end
end

local function item_at_cursor(id)
  local panel = M.panels[id]
  if not panel then
    return nil
  end
  return panel.items[vim.api.nvim_win_get_cursor(0)[1]]
end

local function url_of(item)
  if not item then
    return nil
  end
  if item.kind == "url" then
    return item.url
  end
  local p = item.process
  if p and p.urls and p.urls[1] then
    return p.urls[1]
  end
  return nil
end

local function act(id, action)
  local item = item_at_cursor(id)
  local cb = function(err)
    if err then
      util.error(err.message or vim.inspect(err))
    end
  end
  if action == "enter" then
    if not item then
      return
    end
    if item.kind == "process" then
      require("brummer.logs").open(id, item.process)
    elseif item.kind == "script" then
      if item.process then
        require("brummer.logs").open(id, item.process)
      else
        commands.run_script(id, item.script, cb)
      end
    elseif item.kind == "url" then
      util.open_url(item.url.url, config.options.open_url)
    end
  elseif action == "run" then
    if item and item.kind == "script" then
      if item.process and commands.is_active(item.process) then
        server.execute(id, "brummer.restart", { id = item.process.id }, cb)
      else
        commands.run_script(id, item.script, cb)
      end
    elseif item and item.kind == "process" then
      server.execute(id, "brummer.restart", { id = item.process.id }, cb)
    end
  elseif action == "stop" then
    local p = item and item.process
    if p and commands.is_active(p) then
      server.execute(id, "brummer.stop", { id = p.id }, cb)
    elseif p or (item and item.kind == "script") then
      util.notify("not running")
    end
  elseif action == "open" or action == "proxy" then
    local u = url_of(item)
    if not u then
      util.notify("no URL on this line")
      return
    end
    local target = action == "open" and u.url or u.proxyUrl
    if type(target) ~= "string" or target == "" then
      util.notify("this URL has no proxy")
      return
    end
    util.open_url(target, config.options.open_url)
  elseif action == "help" then
    M.panels[id].help = not M.panels[id].help
    M.render(id)
  end
end

local function map(buf, lhs, fn, desc)
  vim.keymap.set("n", lhs, fn, { buffer = buf, nowait = true, silent = true, desc = desc })
end

local function create(id)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, "brummer://panel/" .. id)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.api.nvim_buf_set_var(buf, "brummer_client", id)
  vim.bo[buf].filetype = "brummer"
  local panel = { buf = buf, items = {}, help = false }
  M.panels[id] = panel
  map(buf, "<CR>", function() act(id, "enter") end, "brummer: open log / run")
  map(buf, "r", function() act(id, "run") end, "brummer: run / restart")
  map(buf, "s", function() act(id, "stop") end, "brummer: stop")
  map(buf, "o", function() act(id, "open") end, "brummer: open URL")
  map(buf, "p", function() act(id, "proxy") end, "brummer: open proxy URL")
  map(buf, "q", function() vim.cmd("close") end, "brummer: close")
  map(buf, "?", function() act(id, "help") end, "brummer: help")
  vim.api.nvim_create_autocmd({ "BufWipeout" }, {
    buffer = buf,
    callback = function()
      stop_clock(panel)
      M.panels[id] = nil
    end,
  })
  vim.api.nvim_create_autocmd({ "BufWinLeave" }, {
    buffer = buf,
    callback = function()
      stop_clock(panel)
    end,
  })
  return panel
end

-- open shows the panel of server id in a split (or focuses it).
function M.open(id)
  local panel = M.panels[id]
  if not panel or not vim.api.nvim_buf_is_valid(panel.buf) then
    panel = create(id)
  end
  local win = vim.fn.bufwinid(panel.buf)
  if win ~= -1 then
    vim.api.nvim_set_current_win(win)
  else
    local o = config.options.panel
    vim.cmd(string.format("%s %dsplit", o.position, o.size))
    vim.api.nvim_win_set_buf(0, panel.buf)
    vim.wo.number = false
    vim.wo.relativenumber = false
    vim.wo.wrap = false
    vim.wo.cursorline = true
  end
  if not (server.states[id] or {}).scripts then
    server.refresh_scripts(id)
  end
  M.render(id)
  return panel.buf
end

for _, ev in ipairs({ "processes", "urls", "scripts", "ready" }) do
  server.on(ev, function(id)
    if M.panels[id] then
      M.render(id)
    end
  end)
end

server.on("exit", function(id)
  local panel = M.panels[id]
  if panel then
    stop_clock(panel)
    if vim.api.nvim_buf_is_loaded(panel.buf) then
      -- Best effort: Neovim may be exiting and the buffer going with it.
      pcall(function()
        vim.bo[panel.buf].modifiable = true
        vim.api.nvim_buf_set_lines(panel.buf, 0, -1, false, { "Brummer: the server has exited." })
        vim.bo[panel.buf].modifiable = false
      end)
    end
    M.panels[id] = nil
  end
end)

return M
