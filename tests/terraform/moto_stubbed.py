"""moto server with the calls the payment stack needs and moto lacks filled in (test harness only).

Usage: python moto_stubbed.py PORT GAPS_JSON PROBES_OUT

Starts moto on 127.0.0.1:PORT. Before filling anything in, it probes plain moto for each
`stub` and `exclude` entry of the gap list (tests/terraform/emulator-gaps.json): every entry
names a probe here (`probe_<name>`) that returns True while moto still has the gap. The results
go to PROBES_OUT as JSON (`{"entry id": true | false}`); a False means a moto upgrade closed the
gap and the entry must go (the stage fails on it). Then moto's state is reset, the stubs are
switched on, and the server runs until it is killed (the stage bounds it with `timeout` and
stops it when it ends). Nothing here changes the stack: what is applied is what users deploy.
"""

import json
import os
import re
import sys
import threading
import time
import uuid
from urllib.parse import unquote

# AWS-managed policy ARNs (service-role/AWSLambdaVPCAccessExecutionRole, …) exist only with this
# setting (gap `iam-managed-policies`); read by moto when its IAM backend is created.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

ACCOUNT = "123456789012"
STUBS = {"on": False}


# --- stubs: whole calls moto does not implement (answered before moto sees the request) -------

def service_of(environ):
    """The signing service of a SigV4 request (`…/us-east-1/apigateway/aws4_request`)."""
    m = re.search(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request", environ.get("HTTP_AUTHORIZATION", ""))
    return (m.group(2), m.group(1)) if m else (None, None)


def body_of(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    return json.loads(raw) if raw else {}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())


CLIENT_CERTS = {}
SIGNING_CONFIGS = {}


def client_certificates(method, path, environ, region):
    """API Gateway GenerateClientCertificate / GetClientCertificate / Update / Delete."""
    m = re.fullmatch(r"/clientcertificates(?:/([^/]+))?/?", path)
    if not m:
        return None
    cert_id = m.group(1)
    if cert_id is None and method == "POST":
        body = body_of(environ)
        cert_id = uuid.uuid4().hex[:10]
        CLIENT_CERTS[cert_id] = {
            "clientCertificateId": cert_id,
            "description": body.get("description", ""),
            "pemEncodedCertificate": "-----BEGIN CERTIFICATE-----\nTUlJ\n-----END CERTIFICATE-----\n",
            "createdDate": int(time.time()),
            "expirationDate": int(time.time()) + 365 * 86400,
            "tags": body.get("tags", {}),
        }
        return 201, CLIENT_CERTS[cert_id]
    if cert_id is None and method == "GET":
        return 200, {"items": list(CLIENT_CERTS.values())}
    cert = CLIENT_CERTS.get(cert_id)
    if cert is None:
        return 404, {"__type": "NotFoundException", "message": "Invalid Client Certificate identifier specified"}
    if method == "GET":
        return 200, cert
    if method == "PATCH":
        for op in body_of(environ).get("patchOperations", []):
            if op.get("path") == "/description":
                cert["description"] = op.get("value", "")
        return 200, cert
    if method == "DELETE":
        del CLIENT_CERTS[cert_id]
        return 202, {}
    return None


def code_signing_configs(method, path, environ, region):
    """Lambda CreateCodeSigningConfig / Get / Update / Delete, and the configs' tags."""
    tagged = code_signing_tags(method, path, environ)
    if tagged is not None:
        return tagged
    m = re.fullmatch(r"/2020-04-22/code-signing-configs/?(.*)", path)
    if not m:
        return None
    arn = unquote(m.group(1)) or None
    if arn is None and method == "POST":
        body = body_of(environ)
        csc_id = "csc-" + uuid.uuid4().hex[:17]
        arn = f"arn:aws:lambda:{region}:{ACCOUNT}:code-signing-config:{csc_id}"
        SIGNING_CONFIGS[arn] = {
            "CodeSigningConfigId": csc_id,
            "CodeSigningConfigArn": arn,
            "Description": body.get("Description", ""),
            "AllowedPublishers": body.get("AllowedPublishers", {}),
            "CodeSigningPolicies": body.get("CodeSigningPolicies", {"UntrustedArtifactOnDeployment": "Warn"}),
            "LastModified": now(),
        }
        CSC_TAGS[arn] = dict(body.get("Tags", {}))
        return 201, {"CodeSigningConfig": SIGNING_CONFIGS[arn]}
    config = SIGNING_CONFIGS.get(arn)
    if config is None:
        return 404, {"Type": "User", "Message": f"The code signing config {arn} does not exist"}
    return config_answer(method, arn, config, environ)


def code_signing_tags(method, path, environ):
    """Lambda ListTags / TagResource / UntagResource of a code signing config (moto looks the
    ARN up as a function)."""
    m = re.fullmatch(r"/2017-03-31/tags/(.+)", path)
    arn = unquote(m.group(1)) if m else ""
    if ":code-signing-config:" not in arn:
        return None
    tags = CSC_TAGS.setdefault(arn, {})
    if method == "GET":
        return 200, {"Tags": tags}
    if method == "POST":
        tags.update(body_of(environ).get("Tags", {}))
        return 204, None
    if method == "DELETE":
        query = environ.get("QUERY_STRING", "")
        for key in re.findall(r"tagKeys=([^&]*)", query):
            tags.pop(unquote(key), None)
        return 204, None
    return None


CSC_TAGS = {}


def config_answer(method, arn, config, environ):
    if method == "GET":
        return 200, {"CodeSigningConfig": config}
    if method == "PUT":
        body = body_of(environ)
        for key in ("Description", "AllowedPublishers", "CodeSigningPolicies"):
            if key in body:
                config[key] = body[key]
        config["LastModified"] = now()
        return 200, {"CodeSigningConfig": config}
    if method == "DELETE":
        del SIGNING_CONFIGS[arn]
        CSC_TAGS.pop(arn, None)
        return 204, None
    return None


ROUTES = {"apigateway": client_certificates, "lambda": code_signing_configs}


class Stubbed:
    """WSGI middleware: a stubbed call is answered here, everything else goes to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if STUBS["on"]:
            service, region = service_of(environ)
            route = ROUTES.get(service)
            answer = route and route(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ, region)
            if answer is not None:
                status, payload = answer
                body = b"" if payload is None else json.dumps(payload).encode()
                reason = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 404: "Not Found"}[status]
                start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                                        ("Content-Length", str(len(body)))])
                return [body]
        return self.app(environ, start_response)


# --- patches: calls moto implements but answers wrongly for this stack --------------------------

def install_patches():
    """Each patch changes moto's behaviour only while STUBS["on"] (after the probes)."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from moto.route53.models import Route53Backend
    from moto.s3.models import FakeBucket

    # S3 PutBucketLogging: moto reads `Principal.Service` of every statement of the target
    # bucket's policy and crashes (AttributeError) on `"Principal": "*"` (our TLS-only deny), and
    # it compares `Principal.Service` and `Resource` as single strings, where IAM also allows
    # lists. The check is run on an equivalent policy: statements with an object principal only,
    # one statement per (service, resource) pair.
    original_policy_check = FakeBucket._log_permissions_enabled_policy

    def as_list(value):
        return value if isinstance(value, list) else [value]

    def policy_check(target_bucket, target_prefix):
        if not STUBS["on"] or not target_bucket.policy:
            return original_policy_check(target_bucket, target_prefix)
        policy = json.loads(target_bucket.policy.decode())
        kept = [
            dict(s, Principal={"Service": service}, Resource=resource)
            for s in policy.get("Statement", [])
            if isinstance(s.get("Principal"), dict)
            for service in as_list(s["Principal"].get("Service"))
            for resource in as_list(s.get("Resource"))
        ]
        saved = target_bucket.policy
        target_bucket.policy = json.dumps(dict(policy, Statement=kept)).encode()
        try:
            return original_policy_check(target_bucket, target_prefix)
        finally:
            target_bucket.policy = saved

    FakeBucket._log_permissions_enabled_policy = staticmethod(policy_check)

    # S3 object calls: moto applies a bucket policy's Deny statements without their conditions,
    # so the TLS-only deny (`aws:SecureTransport` false) refuses every PutObject. Requests to
    # AWS come over HTTPS: the policy is evaluated without that one statement.
    original_permission = FakeBucket.get_permission

    def tls_only(statement):
        return statement.get("Effect") == "Deny" and statement.get("Condition") == {
            "Bool": {"aws:SecureTransport": "false"}}

    def get_permission(self, action, resource):
        if not STUBS["on"] or self.policy is None:
            return original_permission(self, action, resource)
        policy = json.loads(self.policy.decode())
        saved = self.policy
        self.policy = json.dumps(dict(policy, Statement=[
            s for s in policy.get("Statement", []) if not tls_only(s)])).encode()
        try:
            return original_permission(self, action, resource)
        finally:
            self.policy = saved

    FakeBucket.get_permission = get_permission

    # API Gateway UpdateAccount: moto reads `value` of every patch operation and crashes
    # (KeyError) on one without, which resetting the account settings on destroy sends.
    from moto.apigateway.models import Account

    original_account_patch = Account.apply_patch_operations

    def apply_patch_operations(self, patch_operations):
        if not STUBS["on"]:
            return original_account_patch(self, patch_operations)
        rest = []
        for op in patch_operations:
            if op.get("path") == "/cloudwatchRoleArn" and "value" not in op:
                self.cloudwatch_role_arn = None
            else:
                rest.append(op)
        return original_account_patch(self, rest)

    Account.apply_patch_operations = apply_patch_operations

    # Route 53 CreateQueryLoggingConfig: moto finds the log group only by `…:log-group:NAME:*`;
    # AWS (and the provider's `arn` attribute) use the ARN without `:*`.
    original_query_log = Route53Backend.create_query_logging_config

    def create_query_logging_config(self, hosted_zone_id, log_group_arn):
        if not STUBS["on"] or log_group_arn.endswith(":*"):
            return original_query_log(self, hosted_zone_id, log_group_arn)
        config = original_query_log(self, hosted_zone_id, log_group_arn + ":*")
        config.cloud_watch_logs_log_group_arn = log_group_arn
        return config

    Route53Backend.create_query_logging_config = create_query_logging_config

    # DynamoDB UpdateTable ReplicaUpdates: moto ignores them, so the provider waits its whole
    # create timeout for the replica. Here a replica is a table of the same shape in the replica
    # region (so the secondary region's function has a table), listed ACTIVE in `Replicas`.
    # Items are not replicated.
    replicas = {}  # table ARN -> {region: kms key}
    original_update = DynamoHandler.update_table
    original_describe = Table.describe

    def update_table(self):
        updates = self.body.get("ReplicaUpdates") if STUBS["on"] else None
        if not updates:
            return original_update(self)
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        mine = replicas.setdefault(table.table_arn, {})
        for update in updates:
            if "Create" in update:
                region = update["Create"]["RegionName"]
                key = update["Create"].get("KMSMasterKeyId")
                other = dynamodb_backends[table.account_id][region]
                if table.name not in other.tables:
                    other.create_table(
                        name=table.name, schema=table.schema, throughput=table.throughput, attr=table.attr,
                        global_indexes=[{k: v for k, v in i.describe().items() if k != "IndexStatus"}
                                        for i in table.global_indexes],
                        indexes=[], streams=table.stream_specification, billing_mode=table.billing_mode,
                        sse_specification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key} if key else None,
                        tags=[], deletion_protection_enabled=False, warm_throughput=None,
                    )
                mine[region] = key
            if "Delete" in update:
                region = update["Delete"]["RegionName"]
                dynamodb_backends[table.account_id][region].tables.pop(table.name, None)
                mine.pop(region, None)
        rest = {k: v for k, v in self.body.items() if k not in ("ReplicaUpdates", "TableName")}
        if rest:
            original_update(self)
        from moto.dynamodb.responses import DynamoResult
        return DynamoResult(table.describe())

    def describe(self, base_key="TableDescription"):
        result = original_describe(self, base_key)
        mine = replicas.get(self.table_arn) if STUBS["on"] else None
        if mine:
            result[base_key]["Replicas"] = [
                dict({"RegionName": r, "ReplicaStatus": "ACTIVE"}, **({"KMSMasterKeyId": k} if k else {}))
                for r, k in sorted(mine.items())
            ]
        return result

    DynamoHandler.update_table = update_table
    Table.describe = describe


# --- probes: does plain moto still have each gap? (True = still a gap) --------------------------

def client(endpoint, service, region="us-east-1"):
    return boto3.client(service, region_name=region, endpoint_url=endpoint, aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))


def fails(call):
    try:
        call()
        return False
    except Exception:  # noqa: BLE001 - any failure means the gap is still there
        return True


def probe_client_certificate(e):
    return fails(lambda: client(e, "apigateway").generate_client_certificate(description="probe"))


def probe_code_signing_config(e):
    return fails(lambda: client(e, "lambda").create_code_signing_config(
        AllowedPublishers={"SigningProfileVersionArns": [f"arn:aws:signer:us-east-1:{ACCOUNT}:/signing-profiles/p/v"]}))


def probe_key_signing_key(e):
    r53 = client(e, "route53")
    zone = r53.create_hosted_zone(Name="probe.example.com", CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"]
    return fails(lambda: r53.create_key_signing_key(
        CallerReference=uuid.uuid4().hex, HostedZoneId=zone, Name="probeksk", Status="ACTIVE",
        KeyManagementServiceArn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000"))


def probe_logging_with_star_principal(e):
    s3 = client(e, "s3")
    for b in ("probe-source", "probe-logs"):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_policy(Bucket="probe-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::probe-logs/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Allow", "Principal": {"Service": ["logging.s3.amazonaws.com"]}, "Action": ["s3:PutObject"],
         "Resource": ["arn:aws:s3:::probe-logs/*"]}]}))
    return fails(lambda: s3.put_bucket_logging(Bucket="probe-source", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "probe-logs", "TargetPrefix": "p/"}}))


def probe_tls_only_policy(e):
    s3 = client(e, "s3")
    s3.create_bucket(Bucket="probe-tls")
    s3.put_bucket_policy(Bucket="probe-tls", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": ["s3:*"],
         "Resource": ["arn:aws:s3:::probe-tls", "arn:aws:s3:::probe-tls/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    # Over HTTPS (as here: the condition is what moto must evaluate) the write is allowed.
    return fails(lambda: s3.put_object(Bucket="probe-tls", Key="k", Body=b"x"))


def probe_account_reset(e):
    return fails(lambda: client(e, "apigateway").update_account(
        patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn"}]))


def probe_query_log_arn(e):
    r53, logs = client(e, "route53"), client(e, "logs")
    zone = r53.create_hosted_zone(Name="probe2.example.com", CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"]
    logs.create_log_group(logGroupName="/aws/route53/probe")
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/route53/probe"
    return fails(lambda: r53.create_query_logging_config(HostedZoneId=zone, CloudWatchLogsLogGroupArn=arn))


def probe_dynamodb_replica(e):
    ddb = client(e, "dynamodb")
    ddb.create_table(TableName="probe", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ddb.update_table(TableName="probe", ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}])
    return not ddb.describe_table(TableName="probe")["Table"].get("Replicas")


def probe_iam_managed_policies(e):
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "false"
    reset(e)
    try:
        return fails(lambda: client(e, "iam").get_policy(
            PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"))
    finally:
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"


def reset(endpoint):
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=30).read()


def main():
    port, gaps_path, probes_out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(gaps_path) as f:
        gaps = json.load(f)
    install_patches()
    server = make_server("127.0.0.1", port, Stubbed(DomainDispatcherApplication(create_backend_app)), True,
                         request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"
    results = {}
    for entry in gaps["entries"]:
        probe = entry.get("probe")
        if probe:
            reset(endpoint)
            results[entry["id"]] = bool(globals()[f"probe_{probe}"](endpoint))
    reset(endpoint)
    STUBS["on"] = True
    tmp = probes_out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    os.replace(tmp, probes_out)  # the stage waits for this file: the server is ready
    print(f"moto_stubbed: serving on {endpoint}; probes {results}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
