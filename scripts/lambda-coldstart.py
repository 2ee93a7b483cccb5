#!/usr/bin/env python3
"""Measures the payment processor's cold start locally: from spawning `bootstrap` to its first
`GET /2018-06-01/runtime/invocation/next` on a fake Lambda Runtime API on 127.0.0.1, i.e.
process start + config validation + logging + SDK client construction + runtime start-up
("init to first ready"). Network-free: the SDK resolves credentials lazily, so init makes no
AWS call.

Usage: scripts/lambda-coldstart.py [BOOTSTRAP] [RUNS]   (default dist/../target/release/bootstrap, 30)
Prints each run's milliseconds, then min / median / p90 / max.
"""
import os
import socket
import statistics
import subprocess
import sys
import time

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
target = os.environ.get("CARGO_TARGET_DIR", os.path.join(repo, "target"))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(target, "release", "bootstrap")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30

env = {
    "PATH": os.environ.get("PATH", ""),
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "cold",
    "AWS_SECRET_ACCESS_KEY": "start",
    "AWS_LAMBDA_FUNCTION_NAME": "payment-processor",
    "AWS_LAMBDA_FUNCTION_VERSION": "1",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "TABLE_NAME": "payments-dev",
    "AUDIT_BUCKET": "payments-audit-dev",
    "AUDIT_KMS_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000",
    "ENVIRONMENT": "dev",
}

samples = []
for i in range(runs):
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(10)
    env["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:%d" % server.getsockname()[1]
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn, _ = server.accept()
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        elapsed = (time.perf_counter() - start) * 1000
        assert data.startswith(b"GET /2018-06-01/runtime/invocation/next"), data[:80]
        samples.append(elapsed)
        print("run %2d: %.2f ms" % (i + 1, elapsed))
        conn.close()
    finally:
        proc.kill()
        proc.wait()
        server.close()

samples.sort()
p90 = samples[min(len(samples) - 1, int(round(0.9 * (len(samples) - 1))))]
print("cold start (spawn -> first /next): min %.2f ms, median %.2f ms, p90 %.2f ms, max %.2f ms over %d runs"
      % (samples[0], statistics.median(samples), p90, samples[-1], len(samples)))
