-- (a) the ceiling: POST /api/auth/logout with a valid access token and "{}".
-- A 200 that goes nginx -> FastCGI -> router -> JWT check -> JSON parse ->
-- JSON answer with no database work (logout without "all" touches nothing).
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local users = lib.users("BENCH_READERS")
local reqs
-- In init(): wrk knows the Host header only from then on.
function init()
  reqs = lib.requests(users, function(user)
    return wrk.format("POST", "/api/auth/logout", lib.bearer(user, lib.json), "{}")
  end)
end
function request() return reqs[math.random(#reqs)] end
setup = lib.setup
done = lib.done
