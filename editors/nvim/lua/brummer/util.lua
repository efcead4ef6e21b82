-- Small helpers shared by the modules: messages, paths, text positions,
-- times and opening URLs. Nothing here talks to the server.
local M = {}

local uv = vim.uv or vim.loop

-- notify shows one message with the plugin's name in front; errors never
-- become Lua tracebacks for the user.
function M.notify(msg, level)
  vim.notify("brummer: " .. msg, level or vim.log.levels.INFO, { title = "brummer" })
end

function M.error(msg)
  M.notify(msg, vim.log.levels.ERROR)
end

function M.warn(msg)
  M.notify(msg, vim.log.levels.WARN)
end

-- guard wraps a function so that an unexpected Lua error turns into one
-- error message instead of a stack trace in the user's face.
function M.guard(fn)
  return function(...)
    local ok, err = xpcall(fn, debug.traceback, ...)
    if not ok then
      M.error("internal error: " .. tostring(err):gsub("\n.*", ""))
      pcall(vim.api.nvim_echo, { { tostring(err) } }, true, {})
    end
    return ok
  end
end

-- Paths ----------------------------------------------------------------

function M.exists(path)
  return uv.fs_stat(path) ~= nil
end

function M.is_dir(path)
  local st = uv.fs_stat(path)
  return st ~= nil and st.type == "directory"
end

function M.dirname(path)
  local d = path:match("^(.*)/[^/]*$")
  if d == nil or d == "" then
    return "/"
  end
  return d
end

function M.basename(path)
  return path:match("([^/]*)/*$")
end

-- normalize makes an absolute path without a trailing slash or "//".
function M.normalize(path)
  if path:sub(1, 1) ~= "/" then
    path = vim.fn.fnamemodify(path, ":p")
  end
  path = path:gsub("//+", "/")
  if #path > 1 then
    path = path:gsub("/$", "")
  end
  return path
end

-- is_under: path is dir or inside it.
function M.is_under(path, dir)
  if path == dir then
    return true
  end
  local prefix = dir == "/" and "/" or dir .. "/"
  return path:sub(1, #prefix) == prefix
end

-- relative names path from dir ("." for dir itself).
function M.relative(path, dir)
  if path == dir then
    return "."
  end
  if M.is_under(path, dir) then
    return path:sub(#dir + 2)
  end
  return path
end

function M.read_file(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local text = f:read("*a")
  f:close()
  return text
end

-- Positions ------------------------------------------------------------

-- byte_col turns an LSP character offset (UTF-16 code units) on line into
-- a 0-based byte offset.
function M.byte_col(line, utf16)
  local units, i, n = 0, 1, #line
  while i <= n and units < utf16 do
    local c = line:byte(i)
    local len = c >= 0xF0 and 4 or c >= 0xE0 and 3 or c >= 0xC0 and 2 or 1
    units = units + (len == 4 and 2 or 1)
    i = i + len
  end
  return i - 1
end

-- file_line returns line lnum (0-based) of a file: the buffer's text when
-- the file is loaded, else the file on disk.
function M.file_line(path, lnum)
  local buf = vim.fn.bufnr(path)
  if buf > 0 and vim.api.nvim_buf_is_loaded(buf) then
    return vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] or ""
  end
  local ok, lines = pcall(vim.fn.readfile, path, "", lnum + 1)
  if ok and lines[lnum + 1] then
    return lines[lnum + 1]
  end
  return ""
end

-- hl_line highlights row (0-based) of buf, len bytes long, with group.
function M.hl_line(buf, ns, row, group, len)
  pcall(vim.api.nvim_buf_set_extmark, buf, ns, row, 0, { end_col = len, hl_group = group })
end

-- Times ----------------------------------------------------------------

-- days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- parse_time reads an RFC 3339 time (as the server writes it, in UTC)
-- into seconds since the epoch; nil when it is not one.
function M.parse_time(s)
  if type(s) ~= "string" then
    return nil
  end
  local y, mo, d, h, mi, sec, frac, zone = s:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)(%.?%d*)(.*)$")
  if not y then
    return nil
  end
  local t = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
    + tonumber(h) * 3600
    + tonumber(mi) * 60
    + tonumber(sec)
  if frac ~= "" and frac ~= "." then
    t = t + tonumber("0" .. frac)
  end
  local sign, zh, zm = zone:match("^([+-])(%d+):(%d+)$")
  if sign then
    local off = tonumber(zh) * 3600 + tonumber(zm) * 60
    t = sign == "+" and t - off or t + off
  end
  return t
end

-- now is the wall clock in seconds (with fractions).
function M.now()
  local sec, usec = uv.gettimeofday()
  return sec + usec / 1e6
end

-- duration: "12s", "3m", "1h04m".
function M.duration(seconds)
  seconds = math.max(0, math.floor(seconds))
  if seconds < 60 then
    return seconds .. "s"
  elseif seconds < 3600 then
    return math.floor(seconds / 60) .. "m" .. string.format("%02d", seconds % 60) .. "s"
  end
  return math.floor(seconds / 3600) .. "h" .. string.format("%02d", math.floor(seconds / 60) % 60) .. "m"
end

-- URLs -----------------------------------------------------------------

-- open_url opens url in the browser: the user's opener when configured,
-- vim.ui.open where Neovim has it, else xdg-open or open.
function M.open_url(url, opener)
  if type(url) ~= "string" or not url:match("^https?://") then
    M.error(string.format("not an http(s) URL: %q", tostring(url)))
    return false
  end
  if type(opener) == "function" then
    local ok, err = pcall(opener, url)
    if not ok then
      M.error("open_url: " .. tostring(err))
    end
    return ok
  end
  if vim.ui and vim.ui.open then
    local ok, err = pcall(vim.ui.open, url)
    if not ok then
      M.error(string.format("opening %s: %s", url, tostring(err)))
    end
    return ok
  end
  local cmd
  if vim.fn.executable("xdg-open") == 1 then
    cmd = { "xdg-open", url }
  elseif vim.fn.executable("open") == 1 then
    cmd = { "open", url }
  else
    M.error(string.format("cannot open %s: no xdg-open or open on $PATH (set open_url in setup())", url))
    return false
  end
  local job = vim.fn.jobstart(cmd, { detach = true })
  if job <= 0 then
    M.error(string.format("opening %s: %s failed to start", url, cmd[1]))
    return false
  end
  return true
end

return M
