-- wrk script: POST /api/v1/payments, each request a new transaction of the
-- same visitor (BENCH_VISITOR), with the site key in BENCH_KEY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")

local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

local sent = 0
function request()
  sent = sent + 1
  local body = string.format(
    '{"amount":29.99,"currency":"USD","transaction_id":"bench-%d-%d","datafast_visitor_id":"%s"}',
    thread_id, sent, os.getenv("BENCH_VISITOR"))
  return wrk.format(nil, nil, nil, body)
end
