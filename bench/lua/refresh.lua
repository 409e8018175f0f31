-- Refresh-token rotation, chained: each wrk thread (run with -t N -c N, so one
-- connection and one request in flight per thread) starts from its own refresh
-- token (one per line in BENCH_TOKENS) and always presents the latest one the
-- server returned. Presenting an old token again would revoke the session.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH")
local headers = { ["Content-Type"] = "application/json" }

local tokens = {}
local nthreads = 0
local base_setup = setup
function setup(thread)
   if #tokens == 0 then
      for line in io.lines(os.getenv("BENCH_TOKENS")) do
         if #line > 0 then table.insert(tokens, line) end
      end
   end
   nthreads = nthreads + 1
   local token = tokens[nthreads]
   if not token then error("bench: fewer tokens than wrk threads") end
   base_setup(thread)
   thread:set("token", token)
end

token = nil
function request()
   return wrk.format("POST", path, headers, '{"refreshToken":"' .. token .. '"}')
end

function response(status, hdrs, body)
   count(status)
   if status == 200 then
      local t = body:match('"refreshToken"%s*:%s*"([^"]+)"')
      if t then token = t end
   end
end
