-- Which root a file belongs to (one server per root), on a real directory
-- tree: workspaces, nested packages, node_modules, pnpm, git repositories.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/helpers.lua")

local base = (vim.uv or vim.loop).fs_realpath((vim.fn.tempname():gsub("/[^/]*$", ""))) .. "/roots-" .. vim.fn.getpid()

local function write(rel, text)
  local path = base .. "/" .. rel
  vim.fn.mkdir(vim.fn.fnamemodify(path, ":h"), "p")
  vim.fn.writefile(vim.split(text or "", "\n"), path)
  return path
end

return {
  { "roots", function()
    write("ws/package.json", '{"name":"ws","workspaces":["packages/*"]}')
    write("ws/packages/a/package.json", '{"name":"a","scripts":{"build":"true"}}')
    local deep = write("ws/packages/a/src/deep/x.ts", "export {}")
    local dep = write("ws/node_modules/dep/index.js", "")
    write("ws/node_modules/dep/package.json", '{"name":"dep","workspaces":["x"]}')
    write("single/package.json", '{"name":"single"}')
    write("single/sub/package.json", '{"name":"sub"}')
    local nested = write("single/sub/f.js", "")
    vim.fn.mkdir(base .. "/repo/.git", "p")
    write("repo/web/package.json", '{"name":"web"}')
    local readme = write("repo/README.md", "")
    write("repo-empty/.git/HEAD", "")
    local lonely = write("repo-empty/notes.txt", "")
    write("pnpm/pnpm-workspace.yaml", "packages:\n  - apps/*")
    write("pnpm/apps/x/package.json", '{"name":"x"}')
    local app = write("pnpm/apps/x/a.js", "")
    local plain = write("plain/file.txt", "")

    local find = require("brummer.root").find
    H.eq(base .. "/ws", find(deep), "a file deep in a workspace member")
    H.eq(base .. "/ws", find(base .. "/ws/packages/a"), "a member directory")
    H.eq(base .. "/ws", find(dep), "a file in node_modules belongs to the project")
    H.eq(base .. "/single/sub", find(nested), "nearest package.json without workspaces")
    H.eq(base .. "/repo", find(readme), "a git repository holding packages")
    H.eq(base .. "/repo/web", find(base .. "/repo/web/index.js"), "a package in it")
    H.eq(nil, find(lonely), "a git repository without packages")
    H.eq(base .. "/pnpm", find(app), "pnpm-workspace.yaml")
    H.eq(nil, find(plain), "no workspace")
  end },

  { "a file outside any workspace starts no server", function()
    H.setup()
    H.edit(base .. "/plain/file.txt")
    H.eq(0, vim.tbl_count(H.server().states), "servers")
    vim.fn.delete(base, "rf")
  end },
}
