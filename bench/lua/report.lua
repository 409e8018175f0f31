-- Shared by the bench/run.sh wrk scripts: counts responses per status in each
-- wrk thread and prints one machine-readable "BENCH ..." line at the end.
-- Each script loads it with dofile(); it defines setup() (the scripts may
-- wrap it) and count(status), which their response() must call.

local threads = {}          -- main Lua state only: every wrk thread object

codes = {}                  -- per thread: status -> count

function register(thread)
   table.insert(threads, thread)
end

function setup(thread)
   register(thread)
end

function count(status)
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   local ok, s503, other = 0, 0, 0
   local all = {}
   for _, t in ipairs(threads) do
      local c = t:get("codes") or {}
      for status, n in pairs(c) do
         status = tonumber(status)
         all[status] = (all[status] or 0) + n
         if status >= 200 and status < 300 then ok = ok + n
         elseif status == 503 then s503 = s503 + n
         else other = other + n end
      end
   end
   local list = {}
   for status, n in pairs(all) do table.insert(list, status .. "x" .. n) end
   table.sort(list)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d ok=%d s503=%d sother=%d sockerr=%d " ..
      "connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d codes=%s\n",
      summary.requests, summary.duration, ok, s503, other,
      e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      table.concat(list, ",")))
end
