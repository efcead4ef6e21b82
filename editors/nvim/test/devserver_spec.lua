-- A dev server: the panel shows the running process, its URL and its proxy
-- URL (which really serves the page), o and p open them, :BrummerStop
-- stops it, the panel shows its end state and nothing is left in /proc.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local root = H.workspace("mono")
local id, panel, proc, url
local opened = {}

-- fetch GETs a URL with node (the page the proxy serves).
local function fetch(u)
  local out = vim.fn.system({ "node", "-e", "fetch(process.argv[1]).then(r => r.text()).then(t => process.stdout.write(t), e => { console.error(String(e)); process.exit(1) })", u })
  return vim.v.shell_error == 0 and out or nil
end

return {
  { ":BrummerRun dev", function()
    H.setup({ open_url = function(u)
      table.insert(opened, u)
    end })
    local buf = H.edit(root .. "/packages/app/package.json")
    id = H.client_of(buf)
    vim.cmd("BrummerRun dev")
    proc = H.process(id, "dev", function(p)
      return p.status == "running" and #p.urls > 0 and type(p.urls[1].proxyUrl) == "string" and p.urls[1].proxyUrl ~= ""
    end)
    url = proc.urls[1]
    H.ok(url.url:match("^http://127%.0%.0%.1:%d+/$"), "the dev server's URL: " .. url.url)
    H.ok(url.proxyUrl:match("^http://127%.0%.0%.1:%d+/$"), "the proxy URL: " .. url.proxyUrl)
  end },

  { "the panel shows the process, its URL and its proxy URL", function()
    vim.cmd("Brummer")
    panel = vim.api.nvim_get_current_buf()
    H.eq("brummer", vim.bo[panel].filetype, "filetype")
    H.wait(5000, function()
      return H.find_line(panel, "^  ● p%d+%s+dev%s+running") and H.find_line(panel, vim.pesc(url.proxyUrl))
    end, "the running dev server and its URLs in the panel")
    local _, urlline = H.find_line(panel, vim.pesc(url.url) .. "  →  proxy " .. vim.pesc(url.proxyUrl))
    H.ok(urlline, "URL line with both URLs")
    for _, section in ipairs({ "^Scripts$", "^Processes$", "^URLs$", "^  packages/app$", "^  packages/lib$", "^  %.$" }) do
      H.ok(H.find_line(panel, section), "panel line " .. section)
    end
    -- The running script carries the running sign in the Scripts section.
    H.ok(H.find_line(panel, "^    ● dev "), "dev marked running among the scripts")
    local page = fetch(url.proxyUrl)
    H.ok(page and page:find("fixture dev server", 1, true), "the proxy serves the dev server's page: " .. tostring(page))
    -- The capture for the record: what a user sees.
    vim.cmd("redir => g:brummer_panel_capture")
    vim.cmd("silent %print")
    vim.cmd("redir END")
    local capture = vim.g.brummer_panel_capture
    H.log("---- panel (:redir of :%%print) ----%s\n---- end panel ----", capture)
    H.ok(capture:find(url.proxyUrl, 1, true), "the capture holds the proxy URL")
  end },

  { "o and p on the URL line open the URL and the proxy URL", function()
    local lnum = H.find_line(panel, vim.pesc(url.proxyUrl))
    vim.api.nvim_win_set_cursor(0, { lnum, 0 })
    vim.cmd("normal o")
    vim.cmd("normal p")
    H.eq({ url.url, url.proxyUrl }, opened, "opened URLs")
    -- On the process line too.
    lnum = H.find_line(panel, "^  ● p%d+%s+dev")
    vim.api.nvim_win_set_cursor(0, { lnum, 0 })
    vim.cmd("normal p")
    H.eq(url.proxyUrl, opened[3], "proxy from the process line")
    vim.cmd("BrummerOpen " .. url.url)
    H.eq(url.url, opened[4], ":BrummerOpen URL")
  end },

  { "the server's brummer.openUrl comes back as window/showDocument and opens", function()
    local done
    H.server().execute(id, "brummer.openUrl", { url = url.url }, function(err)
      done = err or true
    end)
    H.wait(5000, function()
      return opened[5] ~= nil
    end, "window/showDocument to open the URL")
    H.eq(url.url, opened[5], "URL the server asked to open")
  end },

  { "panel keys: ? help, <CR> log of a process, r runs a script, q closes", function()
    vim.api.nvim_set_current_buf(panel)
    vim.cmd("normal ?")
    H.ok(H.find_line(panel, "^  <CR>  open the log"), "help shown")
    vim.cmd("normal ?")
    H.ok(not H.find_line(panel, "^  <CR>  open the log"), "help hidden")

    vim.api.nvim_win_set_cursor(0, { H.find_line(panel, "^  ● p%d+%s+dev"), 0 })
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
    local log = vim.api.nvim_get_current_buf()
    H.ok(vim.api.nvim_buf_get_name(log):find("brummer://logs/", 1, true), "a log buffer: " .. vim.api.nvim_buf_get_name(log))
    H.wait(5000, function()
      return H.find_line(log, "Local:%s+" .. vim.pesc(url.url))
    end, "the dev server's output in its log")
    vim.cmd("close")

    vim.api.nvim_set_current_win(vim.fn.bufwinid(panel))
    vim.api.nvim_win_set_cursor(0, { H.find_line(panel, "^      hello "), 0 })
    vim.cmd("normal r")
    H.process(id, "hello", "success")
    H.wait(5000, function()
      return H.find_line(panel, "^  ✓ p%d+%s+hello%s+success")
    end, "hello's success in the panel")

    vim.cmd("normal q")
    H.eq(-1, vim.fn.bufwinid(panel), "the panel window closed")
    vim.cmd("Brummer")
    H.eq(panel, vim.api.nvim_get_current_buf(), ":Brummer shows the same panel again")
  end },

  { ":BrummerStop stops it; the panel shows the end state; nothing is left", function()
    H.ok(#H.processes_under(root) > 0, "the dev server runs under the workspace")
    vim.cmd("wincmd p")
    vim.cmd("BrummerStop dev")
    H.process(id, "dev", "stopped")
    H.wait(5000, function()
      return H.find_line(panel, "^  ■ p%d+%s+dev%s+stopped")
    end, "the stopped dev server in the panel")
    H.eq({}, H.processes_under(root), "processes under the workspace")
    H.ok(not require("brummer.util").exists("/proc/" .. proc.pid), "the script's pid is gone")
    H.ok(H.find_line(panel, "^URLs$"), "panel still drawn")
    H.log("---- panel after :BrummerStop ----\n%s\n---- end panel ----", table.concat(H.buf_lines(panel), "\n"))
  end },
}
