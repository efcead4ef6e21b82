-- :BrummerLogs shows a process's output, follows it, survives a burst of
-- 100k lines without freezing the editor (the buffer keeps the newest
-- logs.max_lines lines) and opens on the newest lines.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local root = H.workspace("mono")
local MAX, OPEN = 2000, 500
local id

-- ended: the burst's last output line is shown, followed by the line the
-- server adds when a process exits.
local function ended(buf)
  local tail = vim.api.nvim_buf_get_lines(buf, -3, -1, false)
  return tail[1] == "burst done 100000" and tail[2] == "exited with code 0"
end

-- numbers returns the burst line numbers of buf's lines (nil for others).
local function numbers(buf)
  local out = {}
  for i, l in ipairs(H.buf_lines(buf)) do
    out[i] = tonumber(l:match("burst line (%d+)"))
  end
  return out
end

return {
  { ":BrummerLogs of a finished script shows its output", function()
    H.setup({ logs = { max_lines = MAX, open_lines = OPEN } })
    local buf = H.edit(root .. "/package.json")
    id = H.client_of(buf)
    vim.cmd("BrummerRun hello")
    H.process(id, "hello", "success")
    vim.cmd("BrummerLogs hello")
    local log = vim.api.nvim_get_current_buf()
    H.ok(vim.api.nvim_buf_get_name(log):match("^brummer://logs/%d+/p%d+$"), "log buffer name: " .. vim.api.nvim_buf_get_name(log))
    H.wait(5000, function()
      return H.find_line(log, "^hello from the root$")
    end, "the script's output in the log buffer")
    H.eq(false, vim.bo[log].modifiable, "the log buffer is read-only")
    H.eq("brummerlog", vim.bo[log].filetype, "filetype")
    vim.cmd("close")
  end },

  { "a burst of 100k lines: the editor keeps answering, the buffer is capped", function()
    vim.cmd("BrummerRun burst")
    H.process(id, "burst", function()
      return true
    end)
    vim.cmd("BrummerLogs burst")
    local log = vim.api.nvim_get_current_buf()
    -- A tick every 10 ms on the main loop: a frozen editor shows up as a
    -- long gap between ticks.
    local uv = vim.uv or vim.loop
    local last, worst, ticks = uv.hrtime(), 0, 0
    local timer = uv.new_timer()
    timer:start(10, 10, vim.schedule_wrap(function()
      local now = uv.hrtime()
      worst = math.max(worst, (now - last) / 1e6)
      last = now
      ticks = ticks + 1
    end))
    local started = uv.hrtime()
    local ok, err = pcall(H.wait, 90000, function()
      return ended(log)
    end, "the burst's last lines in the log buffer")
    if not ok then
      local v = require("brummer.logs").view_of(log)
      H.log("view: %s", vim.inspect(v and { dropped = v.dropped, refills = v.refills, flushes = v.flushes, queued = v.queued_seq, last = v.last_seq, refilling = v.refilling, opened = v.opened, held = #v.held, pending = #v.pending }))
      H.log("last lines: %s", vim.inspect(vim.api.nvim_buf_get_lines(log, -4, -1, false)))
      H.log("processes: %s", vim.inspect(H.state(id).processes))
      error(err)
    end
    local took = (uv.hrtime() - started) / 1e6
    timer:stop()
    timer:close()
    H.process(id, "burst", "success")
    local view = require("brummer.logs").view_of(log)
    H.log("  burst: %d ms to the last line, worst main-loop gap %.0f ms over %d ticks, %d lines dropped by the server and refilled %d times, %d buffer updates",
      took, worst, ticks, view.dropped, view.refills, view.flushes)
    H.ok(worst < 2000, string.format("the editor froze for %.0f ms", worst))
    if view.dropped > 0 then
      -- Once for opening, then after each report of dropped lines.
      H.ok(view.refills > 1, "the view refilled after the server dropped lines")
    end
    local count = vim.api.nvim_buf_line_count(log)
    H.ok(count <= MAX, string.format("%d lines kept, cap %d", count, MAX))
    -- The newest lines are there, in order, the last ones without a gap.
    local nums = numbers(log)
    H.eq("error: burst line 100000 failed", vim.api.nvim_buf_get_lines(log, -4, -3, false)[1], "the line before the last output line")
    H.eq(99999, nums[count - 3], "the line before it")
    local prev
    for i = 1, count - 1 do
      if nums[i] then
        H.ok(not prev or nums[i] > prev, "lines in order at " .. i)
        prev = nums[i]
      end
    end
  end },

  { "error and warning lines are highlighted", function()
    local log = vim.api.nvim_get_current_buf()
    local ns = vim.api.nvim_create_namespace("brummer_logs")
    local marks = vim.api.nvim_buf_get_extmarks(log, ns, 0, -1, { details = true })
    local seen = { BrummerLogError = 0, BrummerLogWarn = 0 }
    for _, m in ipairs(marks) do
      local line = vim.api.nvim_buf_get_lines(log, m[2], m[2] + 1, false)[1]
      local group = m[4].hl_group
      if group == "BrummerLogError" then
        H.ok(line:find("^error: "), "error highlight on an error line: " .. line)
      elseif group == "BrummerLogWarn" then
        H.ok(line:find("^warning: "), "warning highlight on a warning line: " .. line)
      end
      seen[group] = (seen[group] or 0) + 1
    end
    H.ok(seen.BrummerLogError > 0 and seen.BrummerLogWarn > 0, "both highlights used: " .. vim.inspect(seen))
    -- Every error line kept is highlighted (none lost when the head was cut).
    local errors = 0
    for _, l in ipairs(H.buf_lines(log)) do
      if l:find("^error: burst") then
        errors = errors + 1
      end
    end
    H.eq(errors, seen.BrummerLogError, "error lines highlighted")
  end },

  { "a log view opens on the newest lines", function()
    local log = vim.api.nvim_get_current_buf()
    vim.cmd("bwipeout " .. log)
    vim.cmd("BrummerLogs burst")
    log = vim.api.nvim_get_current_buf()
    H.wait(5000, function()
      return ended(log)
    end, "the reopened log to show the end")
    H.eq(OPEN, vim.api.nvim_buf_line_count(log), "lines it opens with")
    H.eq(vim.api.nvim_buf_line_count(log), vim.api.nvim_win_get_cursor(0)[1], "the cursor follows the end")
  end },
}
