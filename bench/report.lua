-- wrk script: prints one JSON line with throughput, latency percentiles and error counts
-- (bad_status: responses other than 2xx/3xx).
-- Optional: WRK_METHOD, WRK_BODY, WRK_HEADERS ("Name: value|Name: value") from the environment.
local method = os.getenv("WRK_METHOD")
local body = os.getenv("WRK_BODY")
local headers = os.getenv("WRK_HEADERS")
if method then wrk.method = method end
if body then wrk.body = body end
if headers then
  for pair in string.gmatch(headers, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"socket_errors": %d, "bad_status": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
