-- wrk -t2 -c64 -d10s --latency -s bench/create_mix.lua http://HOST:PORT
-- Durable writes, half CreateCollaboration and half CreateMembership, every one a real create:
--   CreateCollaboration by a fresh account 1<thread><n>, inviting the fresh account 2<thread><n>
--     as its only other member (CAN_QUERY), so no quota ever binds;
--   CreateMembership by that invited account, for a collaboration this thread created (its id
--     read from the CreateCollaboration answer), once per collaboration.
-- A thread sends a CreateMembership whenever one is waiting, else a CreateCollaboration, so the
-- mix stays near 1:1. Non-2xx answers are counted per kind; the first few are printed.
local signature = "0000000000000000000000000000000000000000000000000000000000000000"
local function auth(account)
  return "AWS4-HMAC-SHA256 Credential=" .. account ..
    "/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=" .. signature
end

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

counter = 0
pending = {}  -- collaborations waiting for their member's CreateMembership: {id, account}
created, joined, non2xx_create, non2xx_join, shown = 0, 0, 0, 0, 0

function request()
  local p = table.remove(pending)
  if p then
    return wrk.format("POST", "/memberships", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = auth(p.account),
    }, '{"collaborationIdentifier":"' .. p.id .. '","queryLogStatus":"DISABLED"}')
  end
  counter = counter + 1
  local creator = string.format("1%d%010d", thread_id or 0, counter)
  local member = string.format("2%d%010d", thread_id or 0, counter)
  local body = '{"members":[{"accountId":"' .. member .. '","memberAbilities":["CAN_QUERY"],' ..
    '"displayName":"querier"}],"name":"bench ' .. counter .. '","description":"bench",' ..
    '"creatorMemberAbilities":["CAN_RECEIVE_RESULTS"],"creatorDisplayName":"creator",' ..
    '"queryLogStatus":"DISABLED"}'
  return wrk.format("POST", "/collaborations", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = auth(creator),
  }, body)
end

function response(status, headers, body)
  local is_join = body:find('"membership"', 1, true) ~= nil
  if status < 200 or status > 299 then
    if is_join then non2xx_join = non2xx_join + 1 else non2xx_create = non2xx_create + 1 end
    if shown < 3 then
      shown = shown + 1
      io.write("non-2xx " .. status .. ": " .. body:sub(1, 300) .. "\n")
    end
    return
  end
  if is_join then
    joined = joined + 1
    return
  end
  created = created + 1
  local id = body:match('"id"%s*:%s*"([^"]+)"')
  local creator = body:match('"creatorAccountId"%s*:%s*"(%d+)"')
  if id and creator then
    table.insert(pending, {id = id, account = "2" .. creator:sub(2)})
  end
end

function done(summary, latency, requests)
  local c, j, nc, nj = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    j = j + t:get("joined")
    nc = nc + t:get("non2xx_create")
    nj = nj + t:get("non2xx_join")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d " ..
    "created=%d joined=%d non2xx_create=%d non2xx_join=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), nc + nj,
    e.connect + e.read + e.write + e.timeout, c, j, nc, nj))
end
