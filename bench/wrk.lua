-- wrk script for POST /api/wechat. Request i of a thread (stream) is the message of
-- bench/plan.ts plannedMessage(plan, stream, floor(i / copies)) — keep the two identical.
-- Configuration comes from the environment (bench/load.ts sets it); the summary is printed as one
-- line "WEKF_RESULT {json}" for bench/load.ts to parse.

local threads = {}

function setup(thread)
  local base = tonumber(os.getenv("BENCH_STREAM_BASE") or "0")
  thread:set("stream", base + #threads)
  table.insert(threads, thread)
end

local cfg
local verifyCall = false
local lastIndex, lastRequest = -1, nil
-- Globals, not locals: done() reads them from each thread with thread:get.
sent = 0
local headers = { ["Content-Type"] = "text/xml", ["User-Agent"] = "Mozilla/4.0" }

function init(args)
  cfg = {
    query = os.getenv("BENCH_SIGNED_QUERY"),
    followers = tonumber(os.getenv("BENCH_FOLLOWERS")),
    runTag = os.getenv("BENCH_RUN_TAG"),
    seed = tonumber(os.getenv("BENCH_SEED")),
    keywordPct = tonumber(os.getenv("BENCH_KEYWORD_PCT")),
    copies = tonumber(os.getenv("BENCH_COPIES")),
    keyword = os.getenv("BENCH_KEYWORD"),
    other = os.getenv("BENCH_OTHER"),
    toUser = os.getenv("BENCH_TO_USER"),
  }
  cfg.streamTag = string.format("%03d", stream)
  -- wrk calls request() once on the first thread right after init, to check the request parses
  -- (script_verify_request), and never sends that one: it must not use up a message.
  verifyCall = tonumber(os.getenv("BENCH_STREAM_BASE") or "0") == stream
end

function request()
  if verifyCall then
    verifyCall = false
    return wrk.format("POST", "/api/wechat?" .. cfg.query, headers, "<xml></xml>")
  end
  local i = math.floor(sent / cfg.copies)
  sent = sent + 1
  -- A retry storm sends each message `copies` times in a row; consecutive requests of a thread go
  -- out on different connections, so the copies are in flight at the same time.
  if i ~= lastIndex then
    lastIndex = i
    local h = (i * 1103515245 + stream * 12345 + cfg.seed) % 2147483648
    local openid = "o_bench_" .. string.format("%d", h % cfg.followers)
    local keyword = math.floor(h / 65536) % 100 < cfg.keywordPct
    local msgId = "8" .. cfg.runTag .. cfg.streamTag .. string.format("%010d", i)
    local body = "<xml><ToUserName><![CDATA[" .. cfg.toUser .. "]]></ToUserName>"
      .. "<FromUserName><![CDATA[" .. openid .. "]]></FromUserName>"
      .. "<CreateTime>" .. os.time() .. "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
      .. "<Content><![CDATA[" .. (keyword and cfg.keyword or cfg.other) .. "]]></Content>"
      .. "<MsgId>" .. msgId .. "</MsgId></xml>"
    lastRequest = wrk.format("POST", "/api/wechat?" .. cfg.query .. "&openid=" .. openid, headers, body)
  end
  return lastRequest
end

function done(summary, latency, requests)
  local streams = {}
  for _, t in ipairs(threads) do
    table.insert(streams, string.format('{"stream":%d,"requests":%d}', t:get("stream"), t:get("sent")))
  end
  local e = summary.errors
  io.write(string.format(
    'WEKF_RESULT {"loader":"wrk","completed":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,' ..
    '"non2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"streams":[%s]}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect, e.read, e.write, e.timeout, table.concat(streams, ",")))
end
