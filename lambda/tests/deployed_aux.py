"""Checks of the deployed stack that need more than the DynamoDB and S3 SDKs.

Run by tests/deployed.rs as `python3 deployed_aux.py CHECK OUTPUTS_JSON`, where CHECK is
`api`, `kms`, `observability` or `create:PAYMENT_ID`. Standard library plus boto3; exits
non-zero with a message on the first failed check. Never prints the API key.
"""
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3


def call(base, method, path, key, body=None, content_type="application/json"):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base.rstrip("/") + path, data=data, method=method)
    if key is not None:
        req.add_header("x-api-key", key)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def payment(payment_id):
    return {
        "payment_id": payment_id,
        "amount": 1234,
        "currency": "USD",
        "merchant_id": "integration_tests",
        "customer_id": "customer_1",
        "card_token": "tok_integration1234",
        "description": "deployed integration test",
    }


def expect(cond, msg):
    if not cond:
        print("FAILED: " + msg)
        sys.exit(1)


def region_of(arn):
    return arn.split(":")[3]


def check_api(o):
    key = o["api_key"]
    for name in ("api_endpoint_primary", "api_endpoint_secondary"):
        base = o[name]
        status, _, body = call(base, "GET", "/health", key)
        expect(status == 200 and json.loads(body).get("status") == "ok", f"{name} /health: {status} {body}")
        # /health stays open for Route 53 (which cannot send an API key); payments do not.
        status, _, _ = call(base, "GET", "/payments/deployed_probe", None)
        expect(status == 403, f"{name} /payments without the API key must be 403, got {status}")
    base = o["api_endpoint_primary"]
    pid = "deployed_" + uuid.uuid4().hex[:16]
    status, headers, body = call(base, "POST", "/payments", key, payment(pid))
    expect(status == 201, f"create: {status} {body}")
    status, headers, body2 = call(base, "POST", "/payments", key, payment(pid))
    expect(status == 201 and json.loads(body2) == json.loads(body), f"replay: {status} {body2}")
    conflicting = dict(payment(pid), amount=1)
    status, _, _ = call(base, "POST", "/payments", key, conflicting)
    expect(status == 409, f"conflict: {status}")
    status, _, got = call(base, "GET", "/payments/" + pid + "?merchant_id=integration_tests", key)
    expect(status == 200 and json.loads(got)["payment_id"] == pid, f"read back: {status} {got}")
    pan = dict(payment("deployed_pan"), description="4111 1111 1111 1111")
    status, _, body = call(base, "POST", "/payments", key, pan)
    expect(status == 400 and "4111" not in body, f"PAN must be rejected without echo: {status}")
    print(f"api: ok ({pid})")


def check_create(o, pid):
    status, _, body = call(o["api_endpoint_primary"], "POST", "/payments", o["api_key"], payment(pid))
    expect(status == 201, f"create {pid}: {status} {body}")
    print(f"created {pid}")


def check_kms(o):
    region = region_of(o["table_arn"])
    kms = boto3.client("kms", region_name=region)
    out = kms.encrypt(KeyId=o["data_key_id_primary"], Plaintext=b"integration-test")
    back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"])
    expect(back["Plaintext"] == b"integration-test", "KMS round trip")
    print("kms: ok")


def check_observability(o):
    region = region_of(o["table_arn"])
    check_create(o, "deployed_obs_" + uuid.uuid4().hex[:12])
    logs = boto3.client("logs", region_name=region)
    cw = boto3.client("cloudwatch", region_name=region)
    deadline = time.time() + 300
    start_ms = int((time.time() - 600) * 1000)
    found_log = found_metric = False
    while time.time() < deadline and not (found_log and found_metric):
        if not found_log:
            events = logs.filter_log_events(
                logGroupName=o["log_group_primary"], startTime=start_ms, filterPattern='"PaymentCreated"'
            ).get("events", [])
            found_log = bool(events)
            for e in events:
                expect("tok_integration1234" not in e["message"], "card token in logs")
        if not found_metric:
            metrics = cw.list_metrics(Namespace="Payments", MetricName="PaymentCreated").get("Metrics", [])
            found_metric = bool(metrics)
        if not (found_log and found_metric):
            time.sleep(15)
    expect(found_log, f"no EMF line in {o['log_group_primary']} within 5 min")
    expect(found_metric, "no Payments/PaymentCreated metric within 5 min")
    print("observability: ok")


def main():
    check, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        o = {k: str(v) for k, v in json.load(f).items()}
    if check == "api":
        check_api(o)
    elif check == "kms":
        check_kms(o)
    elif check == "observability":
        check_observability(o)
    elif check.startswith("create:"):
        check_create(o, check.split(":", 1)[1])
    else:
        expect(False, "unknown check " + check)


if __name__ == "__main__":
    main()
