-- wrk script for POST /api/wechat (or BENCH_PATH: the peers' /wechat). Request i of a thread (stream) is the message of
-- bench/plan.ts plannedMessage(plan, stream, floor(i / copies)) — keep the two identical.
-- Configuration comes from the environment (bench/load.ts sets it); the summary is printed as one
-- line "WEKF_RESULT {json}" for bench/load.ts to parse.

local threads = {}

-- SHA-1 (FIPS 180-4) on LuaJIT's bit library: each message is signed with a query of its own, as
-- WeChat signs each push (bench/plan.ts messagePath and signedQuery compute the same).
local bit = require("bit")
local band, bor, bxor, bnot, rol, lshift, rshift, tobit, tohex =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.rol, bit.lshift, bit.rshift, bit.tobit, bit.tohex

local function sha1(msg)
  local h0, h1, h2, h3, h4 = tobit(0x67452301), tobit(0xEFCDAB89), tobit(0x98BADCFE), tobit(0x10325476), tobit(0xC3D2E1F0)
  local bits = #msg * 8
  msg = msg .. "\128" .. string.rep("\0", (55 - #msg) % 64) .. "\0\0\0\0"
    .. string.char(band(rshift(bits, 24), 255), band(rshift(bits, 16), 255), band(rshift(bits, 8), 255), band(bits, 255))
  local w = {}
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do
      local a, b, c, d = msg:byte(chunk + i * 4, chunk + i * 4 + 3)
      w[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for i = 16, 79 do w[i] = rol(bxor(w[i - 3], w[i - 8], w[i - 14], w[i - 16]), 1) end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then f, k = bor(band(b, c), band(bnot(b), d)), 0x5A827999
      elseif i < 40 then f, k = bxor(b, c, d), 0x6ED9EBA1
      elseif i < 60 then f, k = bor(band(b, c), band(b, d), band(c, d)), 0x8F1BBCDC
      else f, k = bxor(b, c, d), 0xCA62C1D6 end
      a, b, c, d, e = tobit(rol(a, 5) + f + e + k + w[i]), a, rol(b, 30), c, d
    end
    h0, h1, h2, h3, h4 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d), tobit(h4 + e)
  end
  return tohex(h0) .. tohex(h1) .. tohex(h2) .. tohex(h3) .. tohex(h4)
end

-- signature = sha1(sort([token, timestamp, nonce]).join('')) — PROTOCOL.md §1.
local function signedQuery(token, timestamp, nonce)
  local parts = { token, timestamp, nonce }
  table.sort(parts)
  return "signature=" .. sha1(table.concat(parts)) .. "&timestamp=" .. timestamp .. "&nonce=" .. nonce
end

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
    token = os.getenv("BENCH_TOKEN"),
    followers = tonumber(os.getenv("BENCH_FOLLOWERS")),
    runTag = os.getenv("BENCH_RUN_TAG"),
    seed = tonumber(os.getenv("BENCH_SEED")),
    keywordPct = tonumber(os.getenv("BENCH_KEYWORD_PCT")),
    copies = tonumber(os.getenv("BENCH_COPIES")),
    keyword = os.getenv("BENCH_KEYWORD"),
    other = os.getenv("BENCH_OTHER"),
    toUser = os.getenv("BENCH_TO_USER"),
    path = os.getenv("BENCH_PATH") or "/api/wechat",
  }
  cfg.streamTag = string.format("%03d", stream)
  -- wrk calls request() once on the first thread right after init, to check the request parses
  -- (script_verify_request), and never sends that one: it must not use up a message.
  verifyCall = tonumber(os.getenv("BENCH_STREAM_BASE") or "0") == stream
end

function request()
  if verifyCall then
    verifyCall = false
    return wrk.format("POST", cfg.path, headers, "<xml></xml>")
  end
  local i = math.floor(sent / cfg.copies)
  sent = sent + 1
  -- A retry storm sends each message `copies` times in a row, with the same query, as WeChat's
  -- retries do; consecutive requests of a thread go out on different connections, so the copies are
  -- in flight at the same time.
  if i ~= lastIndex then
    lastIndex = i
    local h = (i * 1103515245 + stream * 12345 + cfg.seed) % 2147483648
    local openid = "o_bench_" .. string.format("%d", h % cfg.followers)
    local keyword = math.floor(h / 65536) % 100 < cfg.keywordPct
    local msgId = "8" .. cfg.runTag .. cfg.streamTag .. string.format("%010d", i)
    local now = os.time()
    local body = "<xml><ToUserName><![CDATA[" .. cfg.toUser .. "]]></ToUserName>"
      .. "<FromUserName><![CDATA[" .. openid .. "]]></FromUserName>"
      .. "<CreateTime>" .. now .. "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
      .. "<Content><![CDATA[" .. (keyword and cfg.keyword or cfg.other) .. "]]></Content>"
      .. "<MsgId>" .. msgId .. "</MsgId></xml>"
    local nonce = cfg.runTag .. cfg.streamTag .. string.format("%010d", i)
    local query = signedQuery(cfg.token, string.format("%d", now), nonce)
    lastRequest = wrk.format("POST", cfg.path .. "?" .. query .. "&openid=" .. openid, headers, body)
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
