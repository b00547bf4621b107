-- The (d) mix of the benchmark (90 % list reads, 10 % creates), and a record
-- of every answer: status counts per thread, and the id of every task whose
-- create was answered 201, one per line in $FAULT_LOG_DIR/created-<thread>.
-- A read answers 200 and a create 201, so the statuses tell them apart.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local readers = lib.users("BENCH_READERS")
local writers = lib.users("BENCH_WRITERS")
local body = '{"title":"Fault test task","description":"must survive"}'
local reads, writes, created

local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  lib.setup(thread)
end

function init()
  reads, writes = lib.mix_requests(readers, writers, body)
  created = assert(io.open(os.getenv("FAULT_LOG_DIR") .. "/created-" .. tostring(tid), "w"))
end

function request()
  if math.random(10) == 1 then return writes[math.random(#writes)] end
  return reads[math.random(#reads)]
end

-- Per-thread counters, read by done() with thread:get (numbers only).
local tracked = { [200] = true, [201] = true, [500] = true, [502] = true, [503] = true, [504] = true }
s200, s201, s500, s502, s503, s504, sother = 0, 0, 0, 0, 0, 0, 0

function response(status, headers, body)
  if tracked[status] then
    _G["s" .. status] = _G["s" .. status] + 1
  else
    sother = sother + 1
  end
  if status == 201 then
    created:write(body:match('"id":"([0-9a-f-]+)"') or "?", "\n")
    created:flush()
  end
end

function done(summary, latency)
  lib.done(summary, latency)
  local parts = {}
  for _, name in ipairs({ "s200", "s201", "s500", "s502", "s503", "s504", "sother" }) do
    local n = 0
    for _, thread in ipairs(lib.threads()) do n = n + (tonumber(thread:get(name)) or 0) end
    parts[#parts + 1] = string.format('"%s":%d', name:sub(2), n)
  end
  io.write("STATUSES {" .. table.concat(parts, ",") .. "}\n")
end
