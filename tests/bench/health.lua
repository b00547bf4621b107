-- GET /api/health: the FastCGI path plus one database ping (a transaction
-- with SELECT 1).
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local req
-- In init(): wrk knows the Host header only from then on.
function init() req = wrk.format("GET", "/api/health") end
function request() return req end
setup = lib.setup
done = lib.done
