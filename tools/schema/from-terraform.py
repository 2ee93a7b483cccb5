#!/usr/bin/env python3
"""Writes the subset of a real `hashicorp/aws` provider schema that our stacks use, taken from
`terraform providers schema -json`, in the format of `infra-core/schema/aws-provider.json`.

Usage: python3 tools/schema/from-terraform.py VERSION [OUTPUT]
       (default OUTPUT: infra-core/schema/aws-provider-VERSION.json)

It reads the full schema that `tools/schema/dump-terraform.sh VERSION` committed
(`tools/schema/aws-VERSION.json.gz`), so it needs no Terraform and gives the same file on any
machine. The types are those of `tools/schema/types.txt`; a type the provider does not have is an error.
The output is deterministic (sorted keys, the same layout as `extract.mjs`).

The committed `aws-provider-5.100.0.json` lets `infra_core::schema::unknown_arguments` list the
arguments a stack uses that provider 5.100.0 (the local mirror's) does not know.
"""

import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SOURCE = "hashicorp/aws"
ADDRESS = "registry.terraform.io/hashicorp/aws"
# Blocks kept as one `dynamic` attribute, as in the subset of the CDK bindings (see README.md):
# the web ACL's recursive `statement` nests statements many levels deep (about 2 MB of schema
# per level reached), and the validator checks nothing inside it either way.
DYNAMIC_BLOCKS = {"resources.aws_wafv2_web_acl.rule.statement"}


def fail(message):
    print(f"from-terraform: {message}", file=sys.stderr)
    sys.exit(1)


def provider_schema(version):
    """The committed full schema that `dump-terraform.sh VERSION` wrote (one place runs Terraform)."""
    path = os.path.join(HERE, f"aws-{version}.json.gz")
    if not os.path.isfile(path):
        fail(f"no {path}: run tools/schema/dump-terraform.sh {version} first")
    with gzip.open(path, "rt") as f:
        schemas = json.load(f)
    return schemas["provider_schemas"][ADDRESS]


def attr_type(ty, where):
    """Terraform's JSON type syntax is already ours, except `dynamic` and nested attribute types."""
    if isinstance(ty, str):
        if ty not in ("string", "number", "bool", "dynamic"):
            fail(f"{where}: unrecognised type {ty!r}")
        return ty
    if isinstance(ty, list) and len(ty) == 2 and ty[0] in ("list", "set", "map"):
        return [ty[0], attr_type(ty[1], where)]
    if isinstance(ty, list) and len(ty) == 2 and ty[0] == "object":
        return ["object", {k: attr_type(v, where) for k, v in ty[1].items()}]
    fail(f"{where}: unrecognised type {ty!r}")


def nested_attr_type(nested, where):
    """A plugin-framework nested attribute, as the object type Terraform gives it."""
    fields = {k: attr_type(v["type"], f"{where}.{k}") if "type" in v else nested_attr_type(v["nested_type"], f"{where}.{k}")
              for k, v in nested["attributes"].items()}
    mode = nested["nesting_mode"]
    if mode == "single":
        return ["object", fields]
    if mode in ("list", "set", "map"):
        return [mode, ["object", fields]]
    fail(f"{where}: unrecognised nesting {mode!r}")


def block(raw, where):
    attributes = {}
    for name, a in raw.get("attributes", {}).items():
        at = f"{where}.{name}"
        ty = attr_type(a["type"], at) if "type" in a else nested_attr_type(a["nested_type"], at)
        attributes[name] = {
            "computed": bool(a.get("computed", False)),
            "optional": bool(a.get("optional", False)),
            "required": bool(a.get("required", False)),
            "type": ty,
        }
    blocks = {}
    for name, b in raw.get("block_types", {}).items():
        if f"{where}.{name}" in DYNAMIC_BLOCKS:
            attributes[name] = {"computed": False, "optional": True, "required": False, "type": "dynamic"}
            continue
        mode = b["nesting_mode"]
        if mode not in ("list", "set", "single"):
            fail(f"{where}.{name}: unsupported block nesting {mode!r}")
        blocks[name] = {
            "block": block(b["block"], f"{where}.{name}"),
            "max_items": b.get("max_items"),
            "min_items": b.get("min_items", 0),
            "nesting": mode,
        }
    return {"attributes": attributes, "blocks": blocks}


def is_leaf(value):
    return not isinstance(value, dict) or ("type" in value and "required" in value)


def leaf(value):
    return json.dumps(value, separators=(", ", ": "), sort_keys=True)


def render(value, indent=""):
    """The layout of extract.mjs: two-space indentation, an attribute or a type on one line."""
    if is_leaf(value):
        return leaf(value)
    if not value:
        return "{}"
    inner = indent + "  "
    items = ",\n".join(f"{inner}{json.dumps(k)}: {render(value[k], inner)}" for k in sorted(value))
    return "{\n" + items + "\n" + indent + "}"


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: python3 tools/schema/from-terraform.py VERSION [OUTPUT]")
    version = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(REPO, "infra-core", "schema", f"aws-provider-{version}.json")
    with open(os.path.join(HERE, "types.txt")) as f:
        wanted = [line.strip() for line in f if line.strip() and not line.strip().startswith("#")]
    schema = provider_schema(version)
    resources, data_sources, missing = {}, {}, []
    for name in wanted:
        kind, key, store = ("data_sources", name[5:], data_sources) if name.startswith("data.") else ("resources", name, resources)
        raw = schema["data_source_schemas" if kind == "data_sources" else "resource_schemas"].get(key)
        if raw is None:
            missing.append(name)
            continue
        store[key] = block(raw["block"], f"{kind}.{key}")
    if missing:
        fail(f"provider {version} lacks {', '.join(missing)}")
    doc = {
        "data_sources": data_sources,
        "format_version": "1",
        "provider": {"config": block(schema["provider"]["block"], "provider.config"), "source": SOURCE, "version": version},
        "resources": resources,
    }
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(render(doc) + "\n")
    os.replace(tmp, out)
    print(f"wrote {out} ({len(resources)} resources, {len(data_sources)} data sources)")


if __name__ == "__main__":
    main()
