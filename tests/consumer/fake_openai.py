#!/usr/bin/env python3
"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for the consumer test.

POST /v1/chat/completions answers with the plan in PLAN_FILE as the assistant's message (JSON, or SSE when the
request streams), after checking the request the way the real service would reject it: a bearer key, a model, a
non-empty message list, and (for a plan) a json_schema response format. Every request is appended to LOG_FILE as
one JSON line, and the bound port is written to PORT_FILE. It serves at most MAX_REQUESTS requests or for at most
LIFETIME seconds, then stops by itself.

Usage: fake_openai.py PLAN_FILE LOG_FILE PORT_FILE
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_REQUESTS = 20
LIFETIME = 600
USAGE = {"prompt_tokens": 21, "completion_tokens": 9, "total_tokens": 30}

plan_file, log_file, port_file = sys.argv[1:4]
with open(plan_file, encoding="utf-8") as f:
    plan = f.read()
served = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # quiet: the log file is the record
        pass

    def _send(self, status, content_type, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status, message, kind="invalid_request_error"):
        self._send(status, "application/json", json.dumps({"error": {"message": message, "type": kind}}))

    def do_POST(self):
        global served
        with lock:
            served += 1
            count = served
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        auth = self.headers.get("Authorization", "")
        with open(log_file, "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "authorized": auth.startswith("Bearer ") and len(auth) > 7,
                                  "body": raw}) + "\n")
        if count > MAX_REQUESTS:
            return self._error(429, "request limit of the test server reached", "rate_limit_exceeded")
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._error(404, f"unknown path {self.path}")
        if not auth.startswith("Bearer ") or len(auth) <= 7:
            return self._error(401, "missing bearer API key", "authentication_error")
        try:
            body = json.loads(raw)
        except ValueError:
            return self._error(400, "body is not JSON")
        if not body.get("model") or not isinstance(body.get("messages"), list) or not body["messages"]:
            return self._error(400, "model and messages are required")
        fmt = body.get("response_format") or {}
        if fmt.get("type") != "json_schema" or "schema" not in (fmt.get("json_schema") or {}):
            return self._error(400, "this test server only writes plans: response_format json_schema expected")
        message = {"role": "assistant", "content": plan}
        if body.get("stream"):
            chunks = [
                {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": body["model"],
                 "choices": [{"index": 0, "delta": message, "finish_reason": None}]},
                {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": body["model"],
                 "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
                {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": body["model"],
                 "choices": [], "usage": USAGE},
            ]
            text = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
            return self._send(200, "text/event-stream", text)
        answer = {"id": "c", "object": "chat.completion", "created": 1, "model": body["model"],
                  "choices": [{"index": 0, "message": message, "finish_reason": "stop"}], "usage": USAGE}
        return self._send(200, "application/json", json.dumps(answer))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
stopper = threading.Timer(LIFETIME, server.shutdown)
stopper.daemon = True
stopper.start()
server.serve_forever()
