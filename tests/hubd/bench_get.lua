-- bench_get.lua: wrk script for GET benchmarks; prints one machine-readable result line. An
-- optional script argument paces each connection: `-- 250` waits 250 ms between requests.
init = function(args)
  pace = tonumber(args[1] or "0")
end

delay = function()
  return pace
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p99_ms=%.3f errors=%d\n",
    summary.requests / secs, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
