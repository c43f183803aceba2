-- wrk -t2 -c64 -d10s -s bench/get_schema.lua http://HOST:PORT/collaborations/<id>/schemas/<name>
-- GetSchema as an ACTIVE member (account 111111111111, open auth mode): derived on read from the
-- association's row, the configured table's row and the catalog (a stat per read; the parsed
-- CSV is cached). Compare with get_collaboration.lua in the same run.
wrk.method = "GET"
wrk.headers["Authorization"] =
  "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/cleanrooms/aws4_request, " ..
  "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"
