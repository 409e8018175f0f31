-- A light /healthz sampler (one request per connection every BENCH_DELAY_MS)
-- that measures latency while another wrk floods the server, without adding
-- much load of its own.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "5")

function delay()
   return pause
end

function response(status, hdrs, body)
   count(status)
end
