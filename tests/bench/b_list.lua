-- (b) GET /api/{user_id}/tasks: a random seeded user (20 tasks each) per request.
-- The users are the readers, or those of the file BENCH_LIST_USERS names
-- when a script that runs this one sets it (g_external_cached.lua).
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local users = lib.users(BENCH_LIST_USERS or "BENCH_READERS")
local reqs
-- In init(): wrk knows the Host header only from then on.
function init()
  reqs = lib.requests(users, function(user)
    return wrk.format("GET", "/api/" .. user.id .. "/tasks", lib.bearer(user))
  end)
end
function request() return reqs[math.random(#reqs)] end
setup = lib.setup
done = lib.done
