#!/usr/bin/env python3
"""A stand-in for a Python emulator, for bench/run.sh: Python 3's standard-library
ThreadingHTTPServer (HTTP/1.1 keep-alive, one thread per connection) that parses the JSON body
and answers a CreateCollaboration-shaped (POST /collaborations) or CreateMembership-shaped
(POST /memberships) JSON, without validation, authorization or persistence: an upper bound for
any Python emulator on this machine (moto is not in Debian).

    python3 bench/python_standin.py PORT
"""
import json
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARN = "arn:aws:cleanrooms:us-east-1:{account}:{kind}/{id}"


def account_of(headers):
    auth = headers.get("Authorization", "")
    key = auth.split("Credential=", 1)[1].split("/", 1)[0] if "Credential=" in auth else ""
    return key if len(key) == 12 and key.isdigit() else "000000000000"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer(200, {"ok": True} if self.path == "/health" else {"message": "no"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        account = account_of(self.headers)
        now = time.time()
        rid = str(uuid.uuid4())
        if self.path == "/memberships":
            cid = body.get("collaborationIdentifier", "")
            self.answer(200, {"membership": {
                "id": rid, "arn": ARN.format(account=account, kind="membership", id=rid),
                "collaborationArn": ARN.format(account=account, kind="collaboration", id=cid),
                "collaborationId": cid, "collaborationCreatorAccountId": account,
                "collaborationCreatorDisplayName": "creator", "collaborationName": "bench",
                "createTime": now, "updateTime": now, "status": "ACTIVE",
                "memberAbilities": ["CAN_QUERY"],
                "queryLogStatus": body.get("queryLogStatus", "DISABLED"),
                "paymentConfiguration": {"queryCompute": {"isResponsible": False}}}})
            return
        self.answer(200, {"collaboration": {
            "id": rid, "arn": ARN.format(account=account, kind="collaboration", id=rid),
            "name": body.get("name", ""), "description": body.get("description", ""),
            "creatorAccountId": account,
            "creatorDisplayName": body.get("creatorDisplayName", ""),
            "createTime": now, "updateTime": now, "memberStatus": "INVITED",
            "queryLogStatus": body.get("queryLogStatus", "DISABLED"),
            "analyticsEngine": "CLEAN_ROOMS_SQL"}})

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


if __name__ == "__main__":
    Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
