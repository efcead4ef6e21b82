-- A missing or crashing server binary: one clear error message naming the
-- path and the option to change, never a Lua traceback; bad options are
-- named too.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local root = H.workspace("mono")

local function errors()
  local out = {}
  for _, n in ipairs(H.notes) do
    if n.level == vim.log.levels.ERROR then
      table.insert(out, n.msg)
    end
  end
  return out
end

-- no_traceback: nothing in :messages or v:errmsg looks like a Lua error.
local function no_traceback()
  local messages = vim.fn.execute("messages")
  H.ok(not messages:find("stack traceback", 1, true), ":messages has a traceback: " .. messages)
  H.ok(not messages:find("E5108", 1, true), ":messages has a Lua error: " .. messages)
  H.ok(not vim.v.errmsg:find("Error executing", 1, true), "v:errmsg: " .. vim.v.errmsg)
  for _, e in ipairs(errors()) do
    H.ok(not e:find("stack traceback", 1, true) and not e:find("%.lua:%d+:"), "an error message with a Lua location: " .. e)
  end
end

return {
  { "a missing binary: one message naming the path and the option", function()
    H.expect_error("cannot start the server: /nonexistent/brummer")
    H.setup({ cmd = { "/nonexistent/brummer", "lsp" } })
    H.edit(root .. "/package.json")
    H.edit(root .. "/packages/app/package.json")
    H.edit(root .. "/packages/app/src/main.ts")
    local errs = errors()
    H.eq(1, #errs, "error messages for three buffers: " .. vim.inspect(errs))
    H.ok(errs[1]:find("/nonexistent/brummer", 1, true), "names the path: " .. errs[1])
    H.ok(errs[1]:find("cmd", 1, true) and errs[1]:find("setup", 1, true), "names the option: " .. errs[1])
    H.eq(0, vim.tbl_count(H.server().states), "no server")
    no_traceback()
  end },

  { "a command without a server says so, without a traceback", function()
    vim.cmd("BrummerRun dev")
    local errs = errors()
    H.eq(2, #errs, "a second message: " .. vim.inspect(errs))
    H.ok(errs[2]:find("/nonexistent/brummer", 1, true), "the command names the path again: " .. errs[2])
    no_traceback()
  end },

  { "a crashing binary: one message with the path and its exit code", function()
    local crash = H.here .. "/bin/crashing-server"
    H.expect_error("the server " .. vim.pesc(crash) .. " exited with code 3")
    H.notes = {}
    H.setup({ cmd = { crash } })
    vim.cmd("bufdo bwipeout!")
    H.edit(root .. "/packages/app/package.json")
    H.wait(10000, function()
      return #errors() > 0
    end, "the crash message")
    H.edit(root .. "/package.json")
    local errs = errors()
    H.eq(1, #errs, "messages: " .. vim.inspect(errs))
    H.eq(0, vim.tbl_count(H.server().states), "no server restarted after the crash")
    H.ok(errs[1]:find(crash, 1, true), "names the path: " .. errs[1])
    H.ok(errs[1]:find("exited with code 3", 1, true), "names the exit code: " .. errs[1])
    H.ok(errs[1]:find("cmd", 1, true) and errs[1]:find("setup", 1, true), "names the option: " .. errs[1])
    no_traceback()
  end },

  { "bad options are named and the defaults used", function()
    H.expect_error("setup: ")
    vim.cmd("bufdo bwipeout!")
    H.notes = {}
    require("brummer").setup({ cmd = "brummer lsp", logs = { max_lines = "many" } })
    local errs = errors()
    H.eq(1, #errs, "messages: " .. vim.inspect(errs))
    H.ok(errs[1]:find("cmd must be a table", 1, true), errs[1])
    H.ok(errs[1]:find("logs.max_lines must be a number", 1, true), errs[1])
    H.eq({ "brummer", "lsp" }, require("brummer.config").options.cmd, "default cmd kept")
    no_traceback()
  end },
}
