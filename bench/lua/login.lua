-- Password logins: POST {email, password} round-robin over BENCH_USERS users
-- named bench-N@example.com (all with the same password).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH")
local users = tonumber(os.getenv("BENCH_USERS") or "1")
local password = os.getenv("BENCH_PASSWORD")
local headers = { ["Content-Type"] = "application/json" }

local nthreads = 0
local base_setup = setup
function setup(thread)
   base_setup(thread)
   thread:set("next_user", nthreads * 17)
   nthreads = nthreads + 1
end

next_user = 0
function request()
   local body = string.format('{"email":"bench-%d@example.com","password":"%s"}',
                              next_user % users, password)
   next_user = next_user + 1
   return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
   count(status)
end
