"""The Terraform stage's checks (driven by scripts/terraform-stage). Python standard library, plus
boto3 for `leftovers`.

  harness.py overrides STACK_DIR GAPS PORT   write STACK_DIR/emulator_override.tf.json
  harness.py probes PROBES GAPS              fail when a probed gap is closed
  harness.py plan PLAN_JSON GAPS             classify the second plan's changes
  harness.py leftovers PORT                  fail when anything is left in moto after destroy
  harness.py outputs FLAT_JSON               fail when an output the seed asks for is missing
  harness.py skips GAPS                      print `--skip NAME` arguments for the deployed tests

Everything the local run needs goes into one override file; main.tf.json is never edited.
"""

import copy
import json
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The provider's endpoints the stack's services need (checked against the 5.100.0 schema).
SERVICES = ["acm", "apigateway", "cloudwatch", "dynamodb", "ec2", "events", "iam", "kms", "lambda",
            "logs", "route53", "s3", "scheduler", "signer", "sns", "sqs", "ssm", "sts", "wafv2", "xray"]
# Which endpoint each resource type talks to (the longest matching prefix wins). A type that
# matches none stops the stage: without its endpoint the provider would call AWS itself.
ENDPOINT_OF = {
    "aws_acm_": "acm", "aws_api_gateway_": "apigateway", "aws_cloudwatch_log_": "logs",
    "aws_cloudwatch_metric_": "cloudwatch", "aws_cloudwatch_event_": "events",
    "aws_scheduler_": "scheduler", "aws_dynamodb_": "dynamodb", "aws_vpc": "ec2", "aws_subnet": "ec2",
    "aws_route_table": "ec2", "aws_security_group": "ec2", "aws_default_security_group": "ec2",
    "aws_flow_log": "ec2", "aws_iam_": "iam", "aws_kms_": "kms", "aws_lambda_": "lambda",
    "aws_route53_": "route53", "aws_s3_": "s3", "aws_signer_": "signer", "aws_sns_": "sns",
    "aws_sqs_": "sqs", "aws_ssm_": "ssm", "aws_wafv2_": "wafv2", "aws_caller_identity": "sts",
}


def endpoint_of(resource_type):
    matches = [p for p in ENDPOINT_OF if resource_type.startswith(p)]
    if not matches:
        fail(f"no moto endpoint known for {resource_type}: add it to ENDPOINT_OF in tests/terraform/harness.py")
    return ENDPOINT_OF[max(matches, key=len)]
EXCLUDED_VALUE = "excluded-by-emulator-gaps"


def load(path):
    with open(path) as f:
        return json.load(f)


def entries(gaps, kind):
    return [e for e in gaps["entries"] if e["kind"] == kind]


def fail(message):
    print(f"terraform stage: {message}", file=sys.stderr)
    sys.exit(1)


def references(value):
    """Every `type.name` address referenced inside `${…}` in a JSON value."""
    text = json.dumps(value)
    return set(re.findall(r"\b(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\b", " ".join(re.findall(r"\$\{[^}]*\}", text))))


def drop(value, path):
    """A copy of a block value (list of objects or object) without the argument at `path`."""
    value = copy.deepcopy(value)
    items = value if isinstance(value, list) else [value]
    head, _, rest = path.partition(".")
    for item in items:
        if not isinstance(item, dict):
            continue
        if rest:
            if head in item:
                item[head] = drop(item[head], rest)
        else:
            item.pop(head, None)
    return value


def overrides(stack_dir, gaps_path, port):
    doc = load(os.path.join(stack_dir, "main.tf.json"))
    gaps = load(gaps_path)
    old = load(os.path.join(REPO, "infra-core", "schema", f"aws-provider-{gaps['provider']}.json"))
    known = old["provider"]["config"]["blocks"]["endpoints"]["block"]["attributes"]
    missing = [s for s in SERVICES if s not in known]
    if missing:
        fail(f"provider {gaps['provider']} has no endpoint setting for {missing}")
    endpoint = f"http://127.0.0.1:{port}"
    for ty in list(doc["resource"]) + list(doc.get("data", {})):
        if endpoint_of(ty) not in SERVICES:
            fail(f"{ty} needs the `{endpoint_of(ty)}` endpoint, which SERVICES lacks")
    providers = []
    for p in doc["provider"]["aws"]:
        providers.append({
            "alias": p["alias"],
            "region": p["region"],
            "access_key": "testing",
            "secret_key": "testing",
            "skip_credentials_validation": True,
            "skip_metadata_api_check": True,
            "s3_use_path_style": True,
            "endpoints": [{s: endpoint for s in SERVICES}],
        })
    resources = {}

    def override(address, values):
        ty, name = address.split(".", 1)
        resources.setdefault(ty, {}).setdefault(name, {}).update(values)

    declared = {f"{ty}.{name}": body for ty, by_name in doc["resource"].items() for name, body in by_name.items()}
    excluded = {a for e in entries(gaps, "exclude") for a in e["addresses"]}
    for address in sorted(excluded):
        if address not in declared:
            fail(f"the gap list excludes {address}, which the stack does not declare: update the entry")
        values = {"count": 0}
        # An excluded resource referring to another one cannot use it without an index: the
        # literal never reaches an API (count = 0).
        for key, value in declared[address].items():
            if key not in ("depends_on", "lifecycle", "provider") and references(value) & excluded:
                values[key] = EXCLUDED_VALUE
        override(address, values)
    for address, body in declared.items():
        if address not in excluded and references(body) & excluded:
            fail(f"{address} refers to excluded {sorted(references(body) & excluded)}: exclude it too")
    for entry in entries(gaps, "schema_exclusion"):
        head, _, rest = entry["argument"].partition(".")
        for address, body in declared.items():
            if address.split(".")[0] != entry["resource_type"] or head not in body:
                continue
            # A top-level argument is unset (null); a nested one is dropped from a copy of its
            # blocks, which replace the original blocks of that type.
            rewritten = drop(body[head], rest) if rest else None
            if rewritten != body[head]:
                override(address, {head: rewritten})
    for entry in entries(gaps, "provider_5x"):
        for address in declared:
            if address.split(".")[0] == entry["resource_type"]:
                override(address, {entry["argument"]: entry["value"]})
    out = {
        "//": "Written by tests/terraform/harness.py for the emulator run: see tests/terraform/emulator-gaps.json",
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": gaps["provider"]}}},
        "provider": {"aws": providers},
    }
    if resources:
        out["resource"] = resources
    with open(os.path.join(stack_dir, "emulator_override.tf.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
    print(f"override: provider {gaps['provider']} at {endpoint}; {len(excluded)} excluded, "
          f"{sum(len(v) for v in resources.values())} resources overridden")


def probes(probes_path, gaps_path):
    results = load(probes_path)
    closed = [e["id"] for e in load(gaps_path)["entries"] if e.get("probe") and results.get(e["id"]) is False]
    unprobed = [e["id"] for e in load(gaps_path)["entries"] if e.get("probe") and e["id"] not in results]
    if unprobed:
        fail(f"no probe result for {unprobed}")
    if closed:
        fail(f"moto now serves {closed}: the gap is closed, remove the entry (and its stub) from the gap list")
    print(f"probes: {len(results)} gaps still open in moto: {', '.join(sorted(results))}")


def diff_paths(before, after, path):
    """The paths (blocks joined by `.`, no indexes) of the leaves that differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            yield from diff_paths(before.get(key), after.get(key), f"{path}.{key}" if path else key)
    elif isinstance(before, list) and isinstance(after, list) and before and len(before) == len(after):
        for b, a in zip(before, after):
            yield from diff_paths(b, a, path)
    elif before != after:
        yield path


def unknown_paths(unknown, path):
    if unknown is True:
        yield path
    elif isinstance(unknown, dict):
        for key, value in unknown.items():
            yield from unknown_paths(value, f"{path}.{key}" if path else key)
    elif isinstance(unknown, list):
        for value in unknown:
            yield from unknown_paths(value, path)


def changed_attributes(change):
    """What differs between the state and the plan (an unknown value counts), as paths."""
    paths = set(diff_paths(change.get("before") or {}, change.get("after") or {}, ""))
    paths |= set(unknown_paths(change.get("after_unknown") or {}, ""))
    return sorted(paths)


def plan(plan_path, gaps_path):
    doc = load(plan_path)
    gaps = load(gaps_path)
    listed = {(e["resource_type"], e["attribute"]): e for e in entries(gaps, "perpetual_diff")}
    seen, ours = set(), []
    for rc in doc.get("resource_changes", []):
        actions = rc["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        attrs = changed_attributes(rc["change"])
        if actions != ["update"] or not attrs:
            ours.append(f"{rc['address']}: {'/'.join(actions)} {attrs}")
            continue
        for attr in attrs:
            if (rc["type"], attr) in listed:
                seen.add((rc["type"], attr))
            else:
                ours.append(f"{rc['address']}: update {attr}")
    for line in ours:
        print(f"  not on the gap list (ours to fix): {line}")
    stale = sorted(set(listed) - seen)
    for ty, attr in stale:
        print(f"  on the gap list but no longer a diff (remove the entry): {ty}.{attr}")
    print(f"second plan: {len(seen)} listed emulator diffs ({', '.join(f'{t}.{a}' for t, a in sorted(seen)) or 'none'})")
    if ours or stale:
        fail(f"second plan: {len(ours)} unlisted changes, {len(stale)} stale gap entries")


def leftovers(port):
    import boto3
    endpoint = f"http://127.0.0.1:{port}"
    found = []
    for region in ("us-east-1", "us-west-2"):
        c = lambda s: boto3.client(s, region_name=region, endpoint_url=endpoint,  # noqa: E731
                                   aws_access_key_id="testing", aws_secret_access_key="testing")
        checks = {
            "dynamodb tables": lambda: c("dynamodb").list_tables()["TableNames"],
            "lambda functions": lambda: [f["FunctionName"] for f in c("lambda").list_functions()["Functions"]],
            "rest apis": lambda: [a["name"] for a in c("apigateway").get_rest_apis()["items"]],
            "api keys": lambda: [k["name"] for k in c("apigateway").get_api_keys()["items"]],
            "sqs queues": lambda: c("sqs").list_queues().get("QueueUrls", []),
            "sns topics": lambda: [t["TopicArn"] for t in c("sns").list_topics()["Topics"]],
            "log groups": lambda: [g["logGroupName"] for g in c("logs").describe_log_groups()["logGroups"]],
            "alarms": lambda: [a["AlarmName"] for a in c("cloudwatch").describe_alarms()["MetricAlarms"]],
            "vpcs": lambda: [v["VpcId"] for v in c("ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
            "ssm parameters": lambda: [p["Name"] for p in c("ssm").describe_parameters()["Parameters"]],
            "web acls": lambda: [a["Name"] for a in c("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"]],
            # Ours only: moto creates "AWS managed" keys on first use (alias/aws/dynamodb, …),
            # which it reports as customer keys.
            "kms keys not pending deletion": lambda: [
                k["KeyId"] for k in c("kms").list_keys()["Keys"]
                if k["KeyId"] not in {a.get("TargetKeyId") for a in c("kms").list_aliases()["Aliases"]
                                      if a["AliasName"].startswith("alias/aws/")}
                and (lambda m: m["KeyManager"] == "CUSTOMER" and m["KeyState"] != "PendingDeletion")(
                    c("kms").describe_key(KeyId=k["KeyId"])["KeyMetadata"])],
            "kms aliases": lambda: [a["AliasName"] for a in c("kms").list_aliases()["Aliases"]
                                   if not a["AliasName"].startswith("alias/aws/")],
        }
        if region == "us-east-1":
            checks.update({
                "s3 buckets": lambda: [b["Name"] for b in c("s3").list_buckets()["Buckets"]],
                "iam roles": lambda: [r["RoleName"] for r in c("iam").list_roles()["Roles"]],
                "route53 zones": lambda: [z["Name"] for z in c("route53").list_hosted_zones()["HostedZones"]],
                "health checks": lambda: [h["Id"] for h in c("route53").list_health_checks()["HealthChecks"]],
            })
        for what, check in checks.items():
            left = check()
            if left:
                found.append(f"{region} {what}: {left}")
    for line in found:
        print(f"  left after destroy: {line}")
    if found:
        fail(f"destroy left {len(found)} kinds of resources behind")
    print("destroy: nothing left in the emulator (both regions)")


# What the seed asks the outputs for: API endpoint URL, API key, table name and ARN, bucket name,
# Lambda ARN and name, KMS key id, log group names.
REQUIRED_OUTPUTS = ["api_url", "api_endpoint_primary", "api_endpoint_secondary", "api_key", "table_name",
                    "table_arn", "audit_bucket_name", "function_arn_primary", "function_name_primary",
                    "function_arn_secondary", "function_name_secondary", "data_key_id_primary",
                    "log_group_primary", "log_group_secondary"]


def outputs(flat_path):
    flat = load(flat_path)
    missing = [k for k in REQUIRED_OUTPUTS if not flat.get(k)]
    if missing:
        fail(f"{flat_path} lacks {missing}")
    print(f"outputs: all {len(REQUIRED_OUTPUTS)} required outputs present ({len(flat)} in all)")


def skips(gaps_path):
    for e in entries(load(gaps_path), "deployed_test"):
        print(f"SKIPPED deployed::{e['test']}: {e['moto']} (gap {e['id']})", file=sys.stderr)
        print(f"--skip {e['test']}")


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {"overrides": overrides, "probes": probes, "plan": plan, "leftovers": leftovers,
     "outputs": outputs, "skips": skips}[command](*args)


if __name__ == "__main__":
    main()
