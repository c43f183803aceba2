// node bench/create_many.mjs ENDPOINT COUNT [CONCURRENCY=64]
// Creates COUNT collaborations (each by a fresh account, one invited member) over keep-alive
// connections, CONCURRENCY in flight; prints `RESULT created=N non2xx=M seconds=S` (bench/run.sh:
// resident memory per idle collaboration).
import http from 'node:http';

const [endpoint, countArg, concArg] = process.argv.slice(2);
const url = new URL(endpoint);
const count = Number(countArg);
const concurrency = Number(concArg || 64);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const sig = '0'.repeat(64);
const base = 300000000000 + Math.floor(Math.random() * 1000) * 100000000;

function create(n) {
  const account = String(base + n);
  const body = JSON.stringify({
    members: [{ accountId: '999999999999', memberAbilities: ['CAN_QUERY'], displayName: 'querier' }],
    name: `idle ${n}`, description: 'idle', creatorMemberAbilities: ['CAN_RECEIVE_RESULTS'],
    creatorDisplayName: 'creator', queryLogStatus: 'DISABLED',
  });
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: '/collaborations', method: 'POST', agent,
      headers: {
        'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
        authorization: `AWS4-HMAC-SHA256 Credential=${account}/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=${sig}`,
      },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', (e) => resolve({ status: 0, text: String(e) }));
    req.end(body);
  });
}

const t0 = process.hrtime.bigint();
let next = 0, ok = 0, bad = 0;
async function worker() {
  while (next < count) {
    const n = next++;
    const r = await create(n);
    if (r.status >= 200 && r.status < 300) ok++;
    else if (++bad <= 3) console.error(`non-2xx ${r.status}: ${r.text.slice(0, 300)}`);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`RESULT created=${ok} non2xx=${bad} seconds=${seconds.toFixed(2)}`);
