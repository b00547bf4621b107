-- (c) POST /api/{user_id}/tasks: creates go to the writer users, so the
-- readers of (b) keep exactly 20 tasks.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local users = lib.users("BENCH_WRITERS")
local body = '{"title":"Benchmark task","description":"made by wrk"}'
local reqs
-- In init(): wrk knows the Host header only from then on.
function init()
  reqs = lib.requests(users, function(user)
    return wrk.format("POST", "/api/" .. user.id .. "/tasks", lib.bearer(user, lib.json), body)
  end)
end
function request() return reqs[math.random(#reqs)] end
setup = lib.setup
done = lib.done
