-- (g, uncached) (b) with an external EdDSA token that is new every request
-- (each has a jti of its own), so every request pays a signature check.
-- wrk thread k of n takes lines k, k+n, k+2n, ... of $BENCH_EXTERNAL_UNCACHED;
-- a thread that runs out stops, and the result says "exhausted" (run.sh then
-- shows no figure); jwks_server.sh mints more than a run can spend.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local reqs
local next_index = 0
exhausted = 0

function init()
  local users = lib.users("BENCH_EXTERNAL_UNCACHED")
  local id, count = tonumber(wrk.thread:get("id")), tonumber(os.getenv("BENCH_WRK_THREADS"))
  reqs = {}
  for i = id, #users, count do
    reqs[#reqs + 1] = wrk.format("GET", "/api/" .. users[i].id .. "/tasks", lib.bearer(users[i]))
  end
end

function request()
  next_index = next_index + 1
  if next_index > #reqs then
    exhausted = 1
    wrk.thread:stop()
    next_index = 1
  end
  return reqs[next_index]
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
