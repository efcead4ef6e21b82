-- :BrummerLogs, a read-only buffer that follows one process's log: it
-- opens with the newest lines (brummer/logs with tail), then appends what
-- brummer/logAppended brings, refills from brummer/logs when the server
-- says it dropped lines, and keeps only the newest logs.max_lines lines.
-- Appends are batched (logs.flush_ms) so a flood of output costs a few
-- buffer updates, not one per line.
local config = require("brummer.config")
local server = require("brummer.server")
local util = require("brummer.util")

local M = {}

local ns = vim.api.nvim_create_namespace("brummer_logs")
local uv = vim.uv or vim.loop

-- views[client id .. ":" .. process id] = view
M.views = {}

local LEVEL_HL = { error = "BrummerLogError", warn = "BrummerLogWarn" }

-- tail_of returns the last n items of list.
local function tail_of(list, n)
  local out, from = {}, #list - n + 1
  for i = from, #list do
    out[i - from + 1] = list[i]
  end
  return out
end

local function key(id, pid)
  return id .. ":" .. pid
end

local function opts()
  return config.options.logs
end

-- queue_entries adds entries (oldest first) to the view's pending list,
-- keeping no more than the buffer could show.
local function queue_entries(view, entries)
  local q = view.pending
  for _, e in ipairs(entries) do
    if type(e) == "table" and type(e.seq) == "number" and e.seq > view.queued_seq then
      view.queued_seq = e.seq
      q[#q + 1] = e
    end
  end
  local max = opts().max_lines
  if #q > 2 * max then
    view.pending = tail_of(q, max)
  end
end

local function follow_windows(view, old_count)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_buf(win) == view.buf then
      local row = vim.api.nvim_win_get_cursor(win)[1]
      -- A window whose cursor sat on the last line keeps following; one the
      -- user moved up stays where it is.
      if row >= old_count or view.follow_all then
        pcall(vim.api.nvim_win_set_cursor, win, { vim.api.nvim_buf_line_count(view.buf), 0 })
      end
    end
  end
end

-- flush writes the pending entries to the buffer and trims its head.
local function flush(view)
  view.timer_armed = false
  if not vim.api.nvim_buf_is_valid(view.buf) then
    return
  end
  local q = view.pending
  view.pending = {}
  if #q == 0 then
    return
  end
  local max = opts().max_lines
  if #q > max then
    q = tail_of(q, max)
  end
  local lines, levels = {}, {}
  for i, e in ipairs(q) do
    lines[i] = tostring(e.text or ""):gsub("[\r\n]", " ")
    levels[i] = e.level
  end
  local buf = view.buf
  local old_count = vim.api.nvim_buf_line_count(buf)
  local first
  vim.bo[buf].modifiable = true
  if view.empty then
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    first = 0
    view.empty = false
  else
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, lines)
    first = old_count
  end
  for i, lvl in ipairs(levels) do
    local hl = LEVEL_HL[lvl]
    if hl then
      util.hl_line(buf, ns, first + i - 1, hl, #lines[i])
    end
  end
  local count = vim.api.nvim_buf_line_count(buf)
  if count > max then
    -- Marks of the dropped lines go with them (they would pile up on the
    -- first line otherwise).
    vim.api.nvim_buf_clear_namespace(buf, ns, 0, count - max)
    vim.api.nvim_buf_set_lines(buf, 0, count - max, false, {})
  end
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  view.last_seq = q[#q].seq
  view.flushes = view.flushes + 1
  follow_windows(view, old_count)
end

local function schedule_flush(view)
  if view.timer_armed then
    return
  end
  view.timer_armed = true
  view.timer:start(opts().flush_ms, 0, vim.schedule_wrap(function()
    flush(view)
  end))
end

-- refill asks for the newest lines after the last one queued: after the
-- server dropped some, or when the view opens.
local function refill(view)
  if view.refilling then
    view.refill_again = true
    return
  end
  view.refilling = true
  local params = { processId = view.pid, tail = true, limit = view.opened and opts().max_lines or opts().open_lines }
  if view.queued_seq > 0 then
    params.afterSeq = view.queued_seq
  end
  server.request(view.id, "brummer/logs", params, function(err, result)
    view.refilling = false
    if not M.views[key(view.id, view.pid)] then
      return
    end
    if err then
      util.error("brummer/logs: " .. (err.message or vim.inspect(err)))
    elseif type(result) == "table" then
      -- What arrived while the request was out is newer than its answer
      -- only past the answer's last entry.
      local held = view.held
      view.held = {}
      queue_entries(view, result.entries or {})
      queue_entries(view, held)
      view.refills = view.refills + 1
    end
    view.opened = true
    schedule_flush(view)
    if view.refill_again then
      view.refill_again = false
      refill(view)
    end
  end)
end

local function on_log(id, params)
  local view = M.views[key(id, params.processId or "")]
  if not view then
    return
  end
  view.dropped = view.dropped + (tonumber(params.dropped) or 0)
  if view.refilling or not view.opened then
    vim.list_extend(view.held, params.entries or {})
    if (tonumber(params.dropped) or 0) > 0 then
      view.refill_again = true
    end
    return
  end
  if (tonumber(params.dropped) or 0) > 0 then
    vim.list_extend(view.held, params.entries or {})
    refill(view)
    return
  end
  queue_entries(view, params.entries or {})
  schedule_flush(view)
end

local function close_view(view)
  if M.views[key(view.id, view.pid)] ~= view then
    return
  end
  M.views[key(view.id, view.pid)] = nil
  if view.timer and not view.timer:is_closing() then
    view.timer:stop()
    view.timer:close()
  end
  if vim.lsp.get_client_by_id(view.id) then
    server.request(view.id, "brummer/subscribeLogs", { processId = view.pid, enabled = false })
  end
end

local function create(id, proc)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, string.format("brummer://logs/%d/%s", id, proc.id))
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  vim.bo[buf].undolevels = -1
  vim.api.nvim_buf_set_var(buf, "brummer_client", id)
  vim.api.nvim_buf_set_var(buf, "brummer_process", proc.id)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "" })
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "brummerlog"
  local view = {
    id = id,
    pid = proc.id,
    script = proc.script,
    buf = buf,
    empty = true,
    pending = {},
    held = {},
    queued_seq = 0,
    last_seq = 0,
    dropped = 0,
    flushes = 0,
    refills = 0,
    opened = false,
    timer = uv.new_timer(),
  }
  M.views[key(id, proc.id)] = view
  vim.api.nvim_create_autocmd({ "BufWipeout", "BufUnload" }, {
    buffer = buf,
    once = true,
    callback = function()
      close_view(view)
    end,
  })
  -- Subscribe before asking for the tail: nothing falls between the two,
  -- and what both bring twice is told apart by its seq.
  server.request(id, "brummer/subscribeLogs", { processId = proc.id, enabled = true }, function(err)
    if err then
      util.error("brummer/subscribeLogs: " .. (err.message or vim.inspect(err)))
    end
  end)
  refill(view)
  return view
end

-- open shows the log of process proc (a Process table) of server id in a
-- split, following it; returns the buffer.
function M.open(id, proc)
  local view = M.views[key(id, proc.id)]
  if not view or not vim.api.nvim_buf_is_valid(view.buf) then
    view = create(id, proc)
  end
  local win = vim.fn.bufwinid(view.buf)
  if win ~= -1 then
    vim.api.nvim_set_current_win(win)
  else
    vim.cmd("botright split")
    vim.api.nvim_win_set_buf(0, view.buf)
    vim.wo.wrap = false
    vim.wo.number = false
  end
  pcall(vim.api.nvim_win_set_cursor, 0, { vim.api.nvim_buf_line_count(view.buf), 0 })
  return view.buf
end

-- view returns the view of a log buffer (for tests and statuslines).
function M.view_of(buf)
  for _, v in pairs(M.views) do
    if v.buf == buf then
      return v
    end
  end
  return nil
end

server.on("log", on_log)
server.on("exit", function(id)
  for _, v in pairs(M.views) do
    if v.id == id then
      close_view(v)
    end
  end
end)

return M
