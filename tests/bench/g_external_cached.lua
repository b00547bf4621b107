-- (g) (b) with an external (Better Auth style) EdDSA token: one token per
-- external user, sent again and again, so after its first request each is
-- answered from the worker's verified-token cache.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local users = lib.users("BENCH_EXTERNAL_CACHED")
local reqs
function init()
  reqs = lib.requests(users, function(user)
    return wrk.format("GET", "/api/" .. user.id .. "/tasks", lib.bearer(user))
  end)
end
function request() return reqs[math.random(#reqs)] end
setup = lib.setup
done = lib.done
