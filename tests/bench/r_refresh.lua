-- (r) POST /api/auth/refresh with a refresh cookie that is still unspent.
-- A refresh spends its token (presenting it again revokes the session), so
-- every request carries a different seeded session's token: wrk thread k of
-- n takes lines k, k+n, k+2n, ... of $BENCH_SESSIONS (see seed_sessions).
-- Running out would mean reusing tokens, so a thread that runs out sends
-- health checks until it stops, and the result says "exhausted" (run.sh then
-- shows no figure); run.sh seeds more than a run can spend.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local reqs, spare
local next_index = 0
exhausted = 0

function init()
  local users = lib.users("BENCH_SESSIONS")
  local id, count = tonumber(wrk.thread:get("id")), tonumber(os.getenv("BENCH_WRK_THREADS"))
  reqs = {}
  for i = id, #users, count do
    reqs[#reqs + 1] = wrk.format("POST", "/api/auth/refresh",
      { ["Cookie"] = "__Secure-todo_refresh=" .. users[i].token })
  end
  spare = wrk.format("GET", "/api/health")
end

function request()
  next_index = next_index + 1
  if next_index <= #reqs then return reqs[next_index] end
  exhausted = 1
  wrk.thread:stop()
  return spare
end

function setup(thread)
  thread:set("id", #lib.threads() + 1)
  lib.setup(thread)
end

function done(summary, latency)
  local ran_out = false
  for _, t in ipairs(lib.threads()) do ran_out = ran_out or t:get("exhausted") == 1 end
  lib.done(summary, latency, { exhausted = ran_out })
end
