-- (g) (b) with an external (Better Auth style) EdDSA token: one token per
-- external user, sent again and again, so after its first request each is
-- answered from the worker's verified-token cache.
BENCH_LIST_USERS = "BENCH_EXTERNAL_CACHED"
dofile(os.getenv("BENCH_LUA_DIR") .. "/b_list.lua")
