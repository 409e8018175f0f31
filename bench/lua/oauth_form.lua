-- OAuth endpoint load for bench/oidc.sh: POSTs one form body with HTTP Basic
-- client authentication. BENCH_PATH, BENCH_BODY (x-www-form-urlencoded),
-- BENCH_BASIC (base64 of client_id:secret); BENCH_EXPECT, when set, is a string
-- a 200 body must contain (e.g. "active":true), or the answer counts as failed.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH")
local body = os.getenv("BENCH_BODY")
local expect = os.getenv("BENCH_EXPECT")
if expect == "" then expect = nil end
local headers = {
   ["Content-Type"] = "application/x-www-form-urlencoded",
   ["Authorization"] = "Basic " .. os.getenv("BENCH_BASIC"),
}

function request()
   return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, resp)
   if status == 200 and expect and not string.find(resp, expect, 1, true) then
      count(-1)
   else
      count(status)
   end
end
