-- Attaching: a workspace's package.json and a file deep inside it share
-- one server rooted at the workspace; every script line gets a lens; a
-- lens runs and stops its script; :checkhealth brummer is OK.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local root = H.workspace("mono")
local app, id, app_buf

local function script_line(buf, name)
  local lnum = H.find_line(buf, '^%s*"' .. vim.pesc(name) .. '"%s*:')
  H.ok(lnum, "script " .. name .. " in the buffer")
  return lnum - 1
end

local function lenses_on(buf, line)
  local out = {}
  for _, l in ipairs(require("brummer").lenses(buf)) do
    if l.range.start.line == line then
      table.insert(out, l.command and l.command.title or "?")
    end
  end
  table.sort(out)
  return out
end

return {
  { "plugin/ defines the commands, setup() starts nothing by itself", function()
    vim.cmd("runtime! plugin/brummer.lua")
    for _, c in ipairs({ "Brummer", "BrummerRun", "BrummerStop", "BrummerRestart", "BrummerStopAll", "BrummerRestartAll",
      "BrummerClearLogs", "BrummerLogs", "BrummerOpen", "BrummerProblems" }) do
      H.eq(2, vim.fn.exists(":" .. c), ":" .. c .. " exists")
    end
    H.setup()
    H.eq(0, vim.tbl_count(H.server().states), "servers before any buffer")
  end },

  { "the root package.json attaches to a server rooted at the workspace", function()
    local buf = H.edit(root .. "/package.json")
    id = H.client_of(buf)
    H.eq(root, H.state(id).root, "server root")
    H.eq(1, H.state(id).protocol, "protocol from initialize")
    local client = vim.lsp.get_client_by_id(id)
    H.eq(root, vim.uri_to_fname(client.workspace_folders[1].uri), "workspace folder sent")
  end },

  { "a file deep inside the workspace attaches to the same server", function()
    local buf = H.edit(root .. "/packages/app/src/deep/nested/util.ts")
    H.eq(id, H.client_of(buf), "deep file's server")
    app = root .. "/packages/app/package.json"
    app_buf = H.edit(app)
    H.eq(id, H.client_of(app_buf), "package's manifest server")
    H.eq(1, vim.tbl_count(H.server().states), "one server for the workspace")
  end },

  { "a lens on each script line", function()
    local names = { "typecheck", "dev", "burst", "build" }
    H.wait(10000, function()
      for _, n in ipairs(names) do
        if #lenses_on(app_buf, script_line(app_buf, n)) == 0 then
          return false
        end
      end
      return true
    end, "lenses on every script line")
    for _, n in ipairs(names) do
      H.eq({ "▶ Run" }, lenses_on(app_buf, script_line(app_buf, n)), "lens of " .. n)
    end
    -- The other lines have none.
    H.eq(#names, #require("brummer").lenses(app_buf), "lens count")
  end },

  { "running a lens starts the script; the lenses follow its state", function()
    vim.api.nvim_set_current_buf(app_buf)
    local line = script_line(app_buf, "dev")
    vim.api.nvim_win_set_cursor(0, { line + 1, 4 })
    vim.lsp.codelens.run()
    local p = H.process(id, "dev", "running")
    H.wait(10000, function()
      local titles = lenses_on(app_buf, line)
      return #titles == 3 and titles[3]:find("^● running") ~= nil and titles[3]:find("http://127.0.0.1:", 1, true) ~= nil
    end, "Stop, Restart and a running lens with the URL on the dev line")
    local titles = lenses_on(app_buf, line)
    H.eq("↻ Restart", titles[1], "restart lens")
    H.eq("■ Stop", titles[2], "stop lens")
    H.ok(require("brummer").status():find("▶1"), "status shows one running: " .. require("brummer").status())

    -- Several lenses on a line: Neovim asks which one; pick Stop.
    local asked
    local select = vim.ui.select
    -- Restart first: a new process replaces the running one.
    local pick = "↻ Restart"
    vim.ui.select = function(items, opts, on_choice)
      asked = {}
      for _, it in ipairs(items) do
        local title = opts.format_item(it)
        table.insert(asked, title)
        if title == pick then
          on_choice(it)
        end
      end
    end
    vim.api.nvim_win_set_cursor(0, { line + 1, 4 })
    vim.lsp.codelens.run()
    H.ok(asked and #asked == 3, "the lenses were offered: " .. vim.inspect(asked))
    local restarted = H.process(id, "dev", function(q)
      return q.id ~= p.id and q.status == "running"
    end)
    H.wait(10000, function()
      local t = lenses_on(app_buf, line)
      return #t == 3 and t[2] == "■ Stop"
    end, "the lenses of the restarted dev server")
    H.ok(not require("brummer.util").exists("/proc/" .. p.pid), "the first dev server is gone")
    p = restarted
    pick = "■ Stop"
    vim.api.nvim_win_set_cursor(0, { line + 1, 4 })
    vim.lsp.codelens.run()
    vim.ui.select = select
    H.process(id, "dev", "stopped")
    H.wait(10000, function()
      return vim.deep_equal(lenses_on(app_buf, line), { "▶ Run" })
    end, "the Run lens back after stopping")
    H.ok(type(p.pid) == "number" and p.pid > 0, "the process had a pid")
    H.ok(not require("brummer.util").exists("/proc/" .. p.pid), "its pid is gone")
    H.eq({}, H.processes_under(root), "processes left under the workspace")
  end },

  { "lenses follow unsaved edits of the manifest", function()
    vim.api.nvim_set_current_buf(app_buf)
    local line = script_line(app_buf, "typecheck")
    vim.api.nvim_buf_set_lines(app_buf, line, line, false, { '    "lint": "node -e \\"console.log(1)\\"",' })
    vim.cmd("doautocmd TextChanged")
    H.wait(10000, function()
      return #require("brummer").lenses(app_buf) == 5
    end, "a fifth lens for the new script")
    H.eq({ "▶ Run" }, lenses_on(app_buf, line), "the new script's lens")
    vim.cmd("silent undo")
    vim.bo[app_buf].modified = false
  end },

  { "workspace/codeLens/refresh is handled where Neovim lacks a handler", function()
    local client = vim.lsp.get_client_by_id(id)
    if vim.lsp.handlers["workspace/codeLens/refresh"] then
      H.eq(nil, client.handlers["workspace/codeLens/refresh"], "Neovim's own handler kept")
    else
      H.ok(type(client.handlers["workspace/codeLens/refresh"]) == "function", "the plugin's refresh handler")
    end
    local caps = client.config.capabilities
    H.eq(true, caps.workspace.codeLens.refreshSupport, "refreshSupport announced")
  end },

  { ":checkhealth brummer reports OK", function()
    vim.api.nvim_set_current_buf(app_buf)
    vim.cmd("checkhealth brummer")
    local text = table.concat(H.buf_lines(0), "\n")
    H.log("%s", text)
    H.ok(text:find("OK") ~= nil, "an OK line")
    H.ok(text:find("ERROR") == nil, "no ERROR line")
    H.ok(text:find("protocol 1", 1, true) ~= nil, "protocol reported")
    H.ok(text:find(vim.fn.exepath(H.bin), 1, true) ~= nil, "binary path reported")
    H.ok(text:find("attached to the server for " .. root, 1, true) ~= nil, "the buffer's server reported")
    vim.cmd("tabclose")
  end },

  { ":help finds the documentation; doc/tags is current", function()
    vim.cmd("help :BrummerRun")
    H.eq("help", vim.bo.filetype, "help buffer")
    H.ok(vim.api.nvim_buf_get_name(0):find("brummer.txt$"), "brummer.txt opened")
    vim.cmd("close")
    local tmp = vim.fn.tempname()
    vim.fn.mkdir(tmp, "p")
    vim.fn.writefile(vim.fn.readfile(H.plugin .. "/doc/brummer.txt", "b"), tmp .. "/brummer.txt", "b")
    vim.cmd("helptags " .. vim.fn.fnameescape(tmp))
    H.eq(vim.fn.readfile(tmp .. "/tags"), vim.fn.readfile(H.plugin .. "/doc/tags"), "doc/tags (regenerate with :helptags editors/nvim/doc)")
    vim.fn.delete(tmp, "rf")
  end },
}
