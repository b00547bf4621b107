-- (r) POST /api/auth/refresh with a refresh cookie that is still unspent.
-- A refresh spends its token (presenting it again revokes the session), so
-- every request carries a different seeded session's token (see
-- seed_sessions; run.sh seeds more than a run can spend).
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local s = lib.single_use("BENCH_SESSIONS", function(session)
  return wrk.format("POST", "/api/auth/refresh", { ["Cookie"] = "__Secure-todo_refresh=" .. session.token })
end)
init, request, setup, done = s.init, s.request, s.setup, s.done
