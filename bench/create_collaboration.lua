-- wrk -t2 -c64 -d10s -s bench/create_collaboration.lua http://HOST:PORT/collaborations
-- Durable CreateCollaboration; every request comes from a new account so the quota of
-- 10 collaborations per account never binds. Each wrk thread gets its own account range.
local counter = 0

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local account = string.format("%02d%010d", thread_id or 0, counter)
  local body = '{"members":[{"accountId":"999999999999","memberAbilities":["CAN_QUERY"],' ..
    '"displayName":"querier"}],"name":"bench","description":"bench",' ..
    '"creatorMemberAbilities":["CAN_RECEIVE_RESULTS"],"creatorDisplayName":"creator",' ..
    '"queryLogStatus":"DISABLED"}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=" .. account ..
      "/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"
  }, body)
end
function done(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
