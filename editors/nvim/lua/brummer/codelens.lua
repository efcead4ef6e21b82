-- Lenses on package.json buffers, across Neovim releases: up to 0.11 the
-- plugin requests them itself and hands them to vim.lsp.codelens (so
-- vim.lsp.codelens.run() works on them); where vim.lsp.codelens.enable
-- exists (the reimplemented module) Neovim requests and refreshes them.
local server = require("brummer.server")

local M = {}

local cl = vim.lsp.codelens
-- native: Neovim owns requesting and refreshing lenses (vim.lsp.codelens
-- has enable() since it was reimplemented; before, on_codelens/refresh).
M.native = type(cl.enable) == "function"

local inflight, dirty = {}, {}

local function is_manifest(bufnr)
  return vim.api.nvim_buf_is_loaded(bufnr) and vim.api.nvim_buf_get_name(bufnr):match("/package%.json$") ~= nil
end

-- refresh asks the server for bufnr's lenses again. Requests for a buffer
-- never overlap: one asked for while another is in flight runs after it,
-- so the last answer shown is never older than the last change.
function M.refresh(bufnr, id)
  if not is_manifest(bufnr) then
    return
  end
  if M.native then
    local h = vim.lsp.handlers["workspace/codeLens/refresh"]
    if h then
      pcall(h, nil, vim.NIL, { method = "workspace/codeLens/refresh", client_id = id, bufnr = bufnr })
    end
    return
  end
  local key = bufnr .. ":" .. id
  if inflight[key] then
    dirty[key] = true
    return
  end
  inflight[key] = true
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  server.request(id, "textDocument/codeLens", params, function(err, result)
    inflight[key] = nil
    if not err and vim.api.nvim_buf_is_loaded(bufnr) and vim.lsp.get_client_by_id(id) then
      cl.on_codelens(nil, result or {}, { method = "textDocument/codeLens", client_id = id, bufnr = bufnr })
    end
    if dirty[key] then
      dirty[key] = nil
      M.refresh(bufnr, id)
    end
  end)
end

-- refresh_client refreshes every manifest buffer attached to server id.
function M.refresh_client(id)
  local st = server.states[id]
  if not st then
    return
  end
  for bufnr in pairs(st.buffers) do
    M.refresh(bufnr, id)
  end
end

-- attach shows lenses on a package.json buffer and keeps them current.
function M.attach(bufnr, id)
  if M.native then
    pcall(cl.enable, true, { bufnr = bufnr, client_id = id })
    return
  end
  local group = vim.api.nvim_create_augroup("BrummerLens" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "BufEnter", "BufWritePost" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.refresh(bufnr, id)
    end,
  })
  -- After an edit, wait out Neovim's didChange debounce (150 ms) so the
  -- lenses are asked for on the text the server has.
  vim.api.nvim_create_autocmd({ "InsertLeave", "TextChanged" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      vim.defer_fn(function()
        M.refresh(bufnr, id)
      end, 250)
    end,
  })
  M.refresh(bufnr, id)
end

-- get returns the lenses shown on bufnr (LSP CodeLens tables).
function M.get(bufnr)
  if M.native then
    local out = {}
    -- get({bufnr}) returns {client_id, lens} items there.
    for _, item in ipairs(cl.get({ bufnr = bufnr })) do
      table.insert(out, item.lens or item)
    end
    return out
  end
  return cl.get(bufnr)
end

server.on("processes", function(id)
  M.refresh_client(id)
end)

return M
