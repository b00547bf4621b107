-- (a') an unknown route: nginx -> FastCGI -> router -> 404, nothing else.
-- 404 is the expected answer here, so only other statuses count as errors
-- (counted in response(), which costs wrk a little per request).
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local req
-- In init(): wrk knows the Host header only from then on.
function init() req = wrk.format("GET", "/api/bench/no/such/route") end
unexpected = 0
function request() return req end
function response(status) if status ~= 404 then unexpected = unexpected + 1 end end
setup = lib.setup
done = lib.done
