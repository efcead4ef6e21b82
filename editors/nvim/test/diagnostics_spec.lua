-- :BrummerRun of a script that prints real recorded tsc errors puts
-- vim.diagnostic entries on the right buffers, lines and columns;
-- :BrummerProblems lists the same; the panel shows the failed run.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local root = H.workspace("mono")
local id

-- What tsc printed (packages/app/tsc-output.txt), located by the text its
-- column points at: the check reads the .ts line, not a copied number.
local WANT = {
  { file = "src/deep/nested/util.ts", line = 6, at = "size: string", code = "TS2322", msg = "Type 'number' is not assignable to type 'string'." },
  { file = "src/deep/nested/util.ts", line = 7, at = "missing;", code = "TS2304", msg = "Cannot find name 'missing'." },
  { file = "src/main.ts", line = 3, at = "count: number", code = "TS2322", msg = "Type 'string' is not assignable to type 'number'." },
  { file = "src/main.ts", line = 4, at = "42", code = "TS2345", msg = "Argument of type 'number' is not assignable to parameter of type 'string'." },
}

local function brummer_diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == "tsc" then
      table.insert(out, d)
    end
  end
  table.sort(out, function(a, b)
    return a.lnum < b.lnum
  end)
  return out
end

return {
  { ":BrummerRun typecheck from a file of the package", function()
    H.setup()
    local buf = H.edit(root .. "/packages/app/src/main.ts")
    id = H.client_of(buf)
    vim.cmd("BrummerRun typecheck")
    local p = H.process(id, "typecheck", "failed")
    H.eq(2, p.exitCode, "exit code")
    H.process(id, "typecheck", function(q)
      return q.errors == 4
    end)
  end },

  { "diagnostics on the right buffers, lines and columns", function()
    local by_file = {}
    for _, w in ipairs(WANT) do
      by_file[w.file] = by_file[w.file] or {}
      table.insert(by_file[w.file], w)
    end
    -- util.ts is opened twice: going to main.ts unloads it (Neovim then
    -- drops its diagnostics), and they must be back when it is reloaded.
    for _, file in ipairs({ "src/deep/nested/util.ts", "src/main.ts", "src/deep/nested/util.ts" }) do
      local wants = by_file[file]
      local buf = H.edit(root .. "/packages/app/" .. file)
      H.wait(10000, function()
        return #brummer_diagnostics(buf) == #wants
      end, #wants .. " tsc diagnostics on " .. file)
      local got = brummer_diagnostics(buf)
      for i, w in ipairs(wants) do
        local d = got[i]
        local text = vim.api.nvim_buf_get_lines(buf, w.line - 1, w.line, false)[1]
        local col = text:find(w.at, 1, true) - 1
        H.eq(w.line - 1, d.lnum, file .. " line")
        H.eq(col, d.col, string.format("%s:%d column (byte offset of %q)", file, w.line, w.at))
        H.eq(w.msg, d.message, file .. " message")
        H.eq(vim.diagnostic.severity.ERROR, d.severity, file .. " severity")
        local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
        H.eq(w.code, code, file .. " code")
      end
    end
    -- Nothing landed on files without errors.
    local other = H.edit(root .. "/packages/app/package.json")
    H.eq(0, #brummer_diagnostics(other), "diagnostics on package.json")
  end },

  { "a reloaded buffer gets its problems back from the server", function()
    local path = root .. "/packages/app/src/main.ts"
    local buf = H.edit(path)
    H.eq(2, #brummer_diagnostics(buf), "diagnostics before")
    -- What Neovim does when it unloads a buffer whose diagnostics arrived
    -- at the wrong moment: they are gone, and the server sent them once.
    vim.diagnostic.reset(vim.lsp.diagnostic.get_namespace(id), buf)
    H.edit(root .. "/packages/app/package.json")
    vim.cmd("bunload " .. buf)
    H.eq(0, #brummer_diagnostics(buf), "diagnostics while unloaded")
    buf = H.edit(path)
    H.wait(10000, function()
      return #brummer_diagnostics(buf) == 2
    end, "main.ts's diagnostics back")
  end },

  { ":BrummerProblems fills the quickfix list", function()
    vim.cmd("BrummerProblems")
    H.wait(10000, function()
      return #vim.fn.getqflist() == #WANT
    end, "4 quickfix items")
    local items = vim.fn.getqflist()
    table.sort(items, function(a, b)
      local fa, fb = vim.api.nvim_buf_get_name(a.bufnr), vim.api.nvim_buf_get_name(b.bufnr)
      if fa == fb then return a.lnum < b.lnum end
      return fa < fb
    end)
    for i, w in ipairs(WANT) do
      local it = items[i]
      H.eq(root .. "/packages/app/" .. w.file, vim.api.nvim_buf_get_name(it.bufnr), "quickfix file")
      H.eq(w.line, it.lnum, "quickfix line")
      local text = vim.fn.readfile(root .. "/packages/app/" .. w.file)[w.line]
      H.eq(text:find(w.at, 1, true), it.col, "quickfix column of " .. w.at)
      H.ok(it.text:find(w.code, 1, true), "quickfix text names the code: " .. it.text)
    end
    vim.cmd("cclose")
  end },

  { "the panel shows the failed run with its counts", function()
    vim.cmd("Brummer")
    local buf = vim.api.nvim_get_current_buf()
    H.eq("brummer", vim.bo[buf].filetype, "panel filetype")
    H.wait(5000, function()
      return H.find_line(buf, "typecheck%s+failed %(exit 2%)") ~= nil
    end, "the failed typecheck in the panel")
    local _, line = H.find_line(buf, "typecheck%s+failed %(exit 2%)")
    H.ok(line:find("4E 0W", 1, true), "error and warning counts: " .. line)
    H.ok(line:find("✗", 1, true), "the failed sign: " .. line)
    H.ok(require("brummer").status():find("✗4", 1, true), "status: " .. require("brummer").status())
    H.eq(false, vim.bo[buf].modifiable, "the panel is read-only")
  end },
}
