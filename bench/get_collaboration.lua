-- wrk -t2 -c64 -d10s -s bench/get_collaboration.lua http://HOST:PORT/collaborations/<id>
-- GetCollaboration as the creator (account in the SigV4 access key id; open auth mode).
wrk.method = "GET"
wrk.headers["Authorization"] =
  "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/cleanrooms/aws4_request, " ..
  "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"
