-- wrk script of bench/load.py: a mix of requests read from BENCH_MIX_FILE, one per
-- line as METHOD<TAB>PATH<TAB>BODY; "__JUNK__" in a line becomes a number unique to
-- this thread and request (so junk query strings never repeat). Prints one
-- machine-readable line with throughput, errors, percentiles and the count per status.
local requests = {}
thread_id = 0  -- globals: set and read by the main state (thread:set, thread:get)
local sent = 0
statuses = {}

function setup_requests()
  local handle = assert(io.open(os.getenv("BENCH_MIX_FILE"), "rb"), "cannot read BENCH_MIX_FILE")
  for line in handle:lines() do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if method then
      requests[#requests + 1] = {method = method, path = path, body = body}
    end
  end
  handle:close()
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  threads[#threads + 1] = thread
end

function init(args)
  setup_requests()
end

function request()
  sent = sent + 1
  local entry = requests[(sent - 1) % #requests + 1]
  local unique = thread_id .. "x" .. sent
  local path = entry.path:gsub("__JUNK__", unique)
  local headers = {Accept = "application/json"}
  local body = nil
  if entry.method == "POST" then
    body = entry.body:gsub("__JUNK__", unique)
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(entry.method, path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests_done)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(by_status) do
    parts[#parts + 1] = string.format('"%d": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, '
      .. '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
