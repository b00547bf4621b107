-- Shared by the benchmark's wrk scripts (run.sh sets BENCH_LUA_DIR and the
-- token files). wrk runs this file in every thread's Lua state and once more
-- in the main state, where setup() and done() run.
local lib = {}

-- The seeded users: "user-id token" lines of the file named by env var `var`.
function lib.users(var)
  local path = assert(os.getenv(var), var .. " is not set")
  local users = {}
  for line in io.lines(path) do
    local id, token = line:match("^(%S+) (%S+)$")
    if id then users[#users + 1] = { id = id, token = token } end
  end
  assert(#users > 0, "no users in " .. path)
  return users
end

-- Requests are built once per user at start, so the Lua side of wrk costs
-- almost nothing per request and the figures measure the server.
function lib.requests(users, build)
  local out = {}
  for i, user in ipairs(users) do out[i] = build(user, i) end
  return out
end

-- The (d) mix's prepared requests: list reads for `readers`, creates of
-- `body` for `writers`. Call from init(), when wrk knows the Host header.
function lib.mix_requests(readers, writers, body)
  local reads = lib.requests(readers, function(user)
    return wrk.format("GET", "/api/" .. user.id .. "/tasks", lib.bearer(user))
  end)
  local writes = lib.requests(writers, function(user)
    return wrk.format("POST", "/api/" .. user.id .. "/tasks", lib.bearer(user, lib.json), body)
  end)
  return reads, writes
end

function lib.bearer(user, extra)
  local headers = { ["Authorization"] = "Bearer " .. user.token }
  for k, v in pairs(extra or {}) do headers[k] = v end
  return headers
end

lib.json = { ["Content-Type"] = "application/json" }

-- Scripts whose every request spends a token (r, g-uncached): wrk thread k
-- of n takes lines k, k+n, k+2n, ... of the file named by env var `var`,
-- each once, as requests built by `build(user)`. A thread that runs out
-- stops (its last request a harmless health check) and the result says
-- "exhausted"; run.sh then shows no figure. Returns wrk's four functions.
function lib.single_use(var, build)
  local reqs, spare, next_index = {}, nil, 0
  exhausted = 0
  local s = {}
  function s.init()
    local users = lib.users(var)
    local id, count = tonumber(wrk.thread:get("id")), tonumber(os.getenv("BENCH_WRK_THREADS"))
    for i = id, #users, count do reqs[#reqs + 1] = build(users[i]) end
    spare = wrk.format("GET", "/api/health")
  end
  function s.request()
    next_index = next_index + 1
    if next_index <= #reqs then return reqs[next_index] end
    exhausted = 1
    wrk.thread:stop()
    return spare
  end
  function s.setup(thread)
    thread:set("id", #lib.threads() + 1)
    lib.setup(thread)
  end
  function s.done(summary, latency)
    local ran_out = false
    for _, t in ipairs(lib.threads()) do ran_out = ran_out or t:get("exhausted") == 1 end
    lib.done(summary, latency, { exhausted = ran_out })
  end
  return s
end

-- Threads are remembered so done() can add up counters they kept.
local threads = {}
function lib.setup(thread)
  threads[#threads + 1] = thread
end

function lib.threads() return threads end

local function thread_sum(name)
  local total = 0
  for _, t in ipairs(threads) do total = total + (tonumber(t:get(name)) or 0) end
  return total
end

-- One machine-readable line for run.sh. status_errors are wrk's own count of
-- responses >= 400 unless the script counted unexpected statuses itself.
-- `flags`: booleans the script adds to the line ({exhausted = true}).
function lib.done(summary, latency, flags)
  local e = summary.errors
  local status_errors = e.status
  if os.getenv("BENCH_COUNTED_STATUS") == "1" then status_errors = thread_sum("unexpected") end
  local extra = ""
  -- wrk calls done(summary, latency, requests): a third argument of its own.
  if type(flags) ~= "table" then flags = {} end
  for name, value in pairs(flags) do extra = extra .. string.format(',"%s":%s', name, tostring(value)) end
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"status_errors":%d,"socket_errors":%d,"timeouts":%d%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, status_errors, e.connect + e.read + e.write + e.timeout, e.timeout, extra))
end

return lib
