-- bench_post.lua: wrk script posting one check-in per request, each with a fresh UUID v4,
-- and counting the answers that are not 201 (a 201 means the check-in is on disk). An
-- optional script argument paces each connection: `-- 100` waits 100 ms between requests.
local threads = {}
local counter = 1

setup = function(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

init = function(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  not201 = 0
  pace = tonumber(args[1] or "0") -- ms between one connection's requests (0: none)
end

delay = function()
  return pace
end

local function hex(n)
  local t = {}
  for i = 1, n do t[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(t)
end

local function uuid4()
  return hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-" ..
    string.format("%x", math.random(8, 11)) .. hex(3) .. "-" .. hex(12)
end

request = function()
  local body = '{"id":"' .. uuid4() .. '","created_at":"2025-03-03T10:15:00Z","lang":"en",' ..
    '"needs":["rent_arrears"],"domains":["housing","benefits"],"urgent":false,' ..
    '"worker_id":"w-sian","chosen_by":"router","name":"Bench","text":"bench words",' ..
    '"consent":true}'
  return wrk.format("POST", nil, nil, body)
end

response = function(status, headers, body)
  if status ~= 201 then not201 = not201 + 1 end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("not201") or 0) end
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p99_ms=%.3f errors=%d\n",
    summary.requests / secs, latency:percentile(99) / 1000, bad + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
