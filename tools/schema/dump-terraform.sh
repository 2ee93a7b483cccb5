#!/usr/bin/env bash
# Writes the real hashicorp/aws provider schema, as `terraform providers schema -json` prints it,
# to tools/schema/aws-<version>.json.gz (gzip -n: no name or timestamp, so the file is reproducible).
#
# Usage: tools/schema/dump-terraform.sh [version] [plugin-mirror-dir]
#   version            provider version (default 5.100.0)
#   plugin-mirror-dir  a filesystem mirror holding registry.terraform.io/hashicorp/aws
#                      (default /opt/tf-plugins)
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
version="${1:-5.100.0}"
mirror="${2:-/opt/tf-plugins}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/cli.tfrc" <<CONF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
CONF
cat >"$tmp/main.tf" <<TF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "$version" }
  }
}
TF
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc"
terraform -chdir="$tmp" init -input=false >&2
terraform -chdir="$tmp" providers schema -json >"$tmp/schema.json"
gzip -n -9 -c "$tmp/schema.json" >"$here/aws-$version.json.gz"
echo "wrote $here/aws-$version.json.gz" >&2
