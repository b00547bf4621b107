-- The multi-host test's load: task lists read (4 in 5) and tasks created
-- (1 in 5), each create with a title no other request has, so the database
-- can be searched for every one afterwards. Per thread, into $MH_LOG_DIR:
--   sent-<thread>   the title of every create sent
--   acked-<thread>  "title id" of every create answered 201
-- Bounded: $MH_MAX_REQUESTS per thread (and wrk's -d), $MH_DELAY_MS between
-- two requests of a connection. done() prints wrk's BENCH line and
--   LOAD {"sent":N,"answered":N,"statuses":{"200":N,...},"not_json":N}
-- where not_json counts error answers that were not the JSON error body.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local readers = lib.users("BENCH_READERS")
local writers = lib.users("BENCH_WRITERS")
local dir = os.getenv("MH_LOG_DIR")
local scenario = os.getenv("MH_SCENARIO")
local max_requests = tonumber(os.getenv("MH_MAX_REQUESTS"))
local delay_ms = tonumber(os.getenv("MH_DELAY_MS"))
local reads, sent_log, acked_log

-- Threads are numbered in the order lib.setup records them.
function setup(thread)
  lib.setup(thread)
  thread:set("tid", #lib.threads())
end

-- Per thread; done() reads them with thread:get.
sent, answered, creates, not_json = 0, 0, 0, 0
statuses = {}

function init()
  reads = lib.requests(readers, function(user)
    return wrk.format("GET", "/api/" .. user.id .. "/tasks?limit=5", lib.bearer(user))
  end)
  sent_log = assert(io.open(dir .. "/sent-" .. tid, "w"))
  acked_log = assert(io.open(dir .. "/acked-" .. tid, "w"))
end

function request()
  sent = sent + 1
  if sent >= max_requests then wrk.thread:stop() end
  if math.random(5) > 1 then return reads[math.random(#reads)] end
  creates = creates + 1
  local title = string.format("mh-%s-%d-%d", scenario, tid, creates)
  local writer = writers[math.random(#writers)]
  sent_log:write(title, "\n")
  sent_log:flush()
  return wrk.format("POST", "/api/" .. writer.id .. "/tasks", lib.bearer(writer, lib.json),
    '{"title":"' .. title .. '","description":"' .. title .. ' in full"}')
end

function delay() return delay_ms end

function response(status, headers, body)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 and not (headers["Content-Type"] == "application/json" and body:match("^{")) then
    not_json = not_json + 1
  end
  if status == 201 then
    acked_log:write(body:match('"title":"([^"]+)"') or "?", " ", body:match('"id":"([^"]+)"') or "?", "\n")
    acked_log:flush()
  end
end

function done(summary, latency)
  lib.done(summary, latency)
  local total = { sent = 0, answered = 0, not_json = 0 }
  local by_status = {}
  for _, thread in ipairs(lib.threads()) do
    for name in pairs(total) do total[name] = total[name] + thread:get(name) end
    for status, n in pairs(thread:get("statuses")) do by_status[status] = (by_status[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(by_status) do parts[#parts + 1] = string.format('"%d":%d', status, n) end
  io.write(string.format('LOAD {"sent":%d,"answered":%d,"statuses":{%s},"not_json":%d}\n',
    total.sent, total.answered, table.concat(parts, ","), total.not_json))
end
