-- (e) POST /api/auth/login of a random seeded reader at the configured
-- bcrypt cost. The service bounds bcrypt concurrency, so most of a storm is
-- refused at once with 503 + Retry-After: those count as errors here.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local users = lib.users("BENCH_READERS")
local password = assert(os.getenv("BENCH_PASSWORD"))
local reqs
-- In init(): wrk knows the Host header only from then on.
function init()
  reqs = lib.requests(users, function(user, i)
    local body = string.format('{"email":"bench-r-%d@bench.example","password":"%s"}', i, password)
    return wrk.format("POST", "/api/auth/login", lib.json, body)
  end)
end
function request() return reqs[math.random(#reqs)] end
setup = lib.setup
done = lib.done
