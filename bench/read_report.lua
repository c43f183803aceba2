-- wrk -t2 -c64 -d10s --latency -s bench/read_report.lua http://HOST:PORT/collaborations[/<id>]
-- A GET as account 111111111111 (SigV4-shaped Authorization header, open auth mode), ending
-- with one machine-readable line (bench/run.sh). Also used unchanged against nginx, which
-- ignores the header, so both sides parse the same request.
wrk.method = "GET"
wrk.headers["Authorization"] =
  "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/cleanrooms/aws4_request, " ..
  "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
