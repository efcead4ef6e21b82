-- Which workspace a file belongs to: one Brummer server runs per root.
local util = require("brummer.util")

local M = {}

-- declares[path] = {mtime, bool}: whether a package.json declares
-- workspaces, cached until the file changes.
local declares = {}

local function declares_workspaces(pkg)
  local st = (vim.uv or vim.loop).fs_stat(pkg)
  if not st then
    return false
  end
  local stamp = st.mtime.sec .. "." .. st.mtime.nsec .. ":" .. st.size
  local hit = declares[pkg]
  if hit and hit[1] == stamp then
    return hit[2]
  end
  local ok, data = pcall(vim.json.decode, util.read_file(pkg) or "")
  local yes = ok and type(data) == "table" and data.workspaces ~= nil and data.workspaces ~= vim.NIL
  declares[pkg] = { stamp, yes }
  return yes
end

-- has_manifest_below: a package.json one or two levels under dir, which is
-- what makes a repository without a root manifest worth a server.
local function has_manifest_below(dir)
  for _, pat in ipairs({ "/*/package.json", "/*/*/package.json" }) do
    for _, p in ipairs(vim.fn.glob(dir .. pat, true, true)) do
      if not p:find("/node_modules/", 1, true) then
        return true
      end
    end
  end
  return false
end

-- find returns the workspace root of path (a file or directory): the
-- outermost directory whose package.json declares workspaces (or that has
-- a pnpm-workspace.yaml), else the nearest directory with a package.json,
-- else the repository (.git) when it holds packages; nil when none.
-- Directories inside node_modules are never roots.
function M.find(path)
  if type(path) ~= "string" or path == "" then
    return nil
  end
  path = util.normalize(path)
  local dir = util.is_dir(path) and path or util.dirname(path)
  local nearest, outer, git
  while true do
    if not dir:find("/node_modules", 1, true) then
      local pkg = dir .. "/package.json"
      if util.exists(pkg) then
        nearest = nearest or dir
        if declares_workspaces(pkg) then
          outer = dir
        end
      end
      if util.exists(dir .. "/pnpm-workspace.yaml") then
        outer = dir
      end
      if not git and util.exists(dir .. "/.git") then
        git = dir
      end
    end
    if dir == "/" then
      break
    end
    dir = util.dirname(dir)
  end
  if outer or nearest then
    return outer or nearest
  end
  if git and has_manifest_below(git) then
    return git
  end
  return nil
end

return M
