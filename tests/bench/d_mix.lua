-- (d) 90 % reads as in (b), 10 % creates as in (c).
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local readers = lib.users("BENCH_READERS")
local writers = lib.users("BENCH_WRITERS")
local body = '{"title":"Benchmark task","description":"made by wrk"}'
local reads, writes
-- In init(): wrk knows the Host header only from then on.
function init()
  reads, writes = lib.mix_requests(readers, writers, body)
end
function request()
  if math.random(10) == 1 then return writes[math.random(#writes)] end
  return reads[math.random(#reads)]
end
setup = lib.setup
done = lib.done
