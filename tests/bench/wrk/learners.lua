-- wrk script for `make bench`: every request carries the session cookie of the next signed-in
-- learner in turn (round robin over BENCH_SESSIONS, one "cookie csrf_token" line per learner).
-- BENCH_MODE=get requests BENCH_PATH; BENCH_MODE=quiz posts the quiz at BENCH_PATH with the
-- learner's CSRF token, BENCH_ANSWERS and a client id unique to each request.
local cookies, tokens = {}, {}
local counter = 0
local threads = {}
local mode = os.getenv("BENCH_MODE") or "get"
local path = os.getenv("BENCH_PATH") or "/"
local answers = os.getenv("BENCH_ANSWERS") or ""
local run = os.getenv("BENCH_RUN") or "run"

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    local cookie, token = line:match("^(%S+)%s+(%S+)$")
    if cookie then
      table.insert(cookies, cookie)
      table.insert(tokens, token)
    end
  end
  counter = id * 101 -- threads start at different learners
end

function request()
  counter = counter + 1
  local i = counter % #cookies + 1
  local headers = { ["Cookie"] = "session=" .. cookies[i] }
  if mode == "quiz" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. tokens[i] .. "&client_id=" .. run .. "-" .. id .. "-" .. counter
      .. "&opened_at=" .. (os.time() - 60) .. "&" .. answers
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
