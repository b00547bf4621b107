-- (g, uncached) (b) with an external EdDSA token that is new every request
-- (each has a jti of its own), so every request pays a signature check.
-- jwks_server.sh mints more tokens than a run can spend.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local s = lib.single_use("BENCH_EXTERNAL_UNCACHED", function(user)
  return wrk.format("GET", "/api/" .. user.id .. "/tasks", lib.bearer(user))
end)
init, request, setup, done = s.init, s.request, s.setup, s.done
