#!/usr/bin/env bash
# Builds the payment processor's release `bootstrap` (provided.al2023, x86_64, host gnu target)
# and writes dist/payment-processor.zip reproducibly: one entry, `bootstrap`, mode 0755, fixed
# timestamp, fixed compression. Same source and toolchain -> byte-identical zip, so the stack's
# `source_code_hash` changes only when the code does.
#
# Usage: scripts/lambda-package.sh            (CARGO_TARGET_DIR is honoured; default ./target)
#        scripts/lambda-package.sh --bin BOOTSTRAP --zip ZIP
#          zips an already-built binary instead (no build, no glibc check): the Terraform stage
#          zips the test-profile `bootstrap` of `cargo test`, symbols stripped, this way.
# Prints the zip's path, size and SHA-256 (hex and base64, the latter is Terraform's
# `source_code_hash` format), then checks the binary's glibc requirement (<= 2.34, AL2023).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
out_dir="$repo/dist"
zip_path="$out_dir/payment-processor.zip"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"

# Release settings for this build only (the workspace's profiles stay untouched):
# optimised for size (the function is I/O-bound: it waits on DynamoDB and S3), one codegen unit
# + fat LTO for a small, deterministic binary; symbols stripped; unwinding kept
# because the handler turns panics into 500 responses. Absolute paths are remapped so the binary
# does not depend on where the repository or the cargo home live.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=s
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_STRIP=symbols
export CARGO_PROFILE_RELEASE_PANIC=unwind
export CARGO_PROFILE_RELEASE_DEBUG=false
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$repo=/build --remap-path-prefix=$cargo_home=/cargo"
export CARGO_TARGET_DIR="$target_dir"
export SOURCE_DATE_EPOCH=315532800

prebuilt=""
if [ "${1:-}" = "--bin" ]; then
  [ $# -eq 4 ] && [ "$3" = "--zip" ] || { echo "usage: $0 [--bin BOOTSTRAP --zip ZIP]" >&2; exit 2; }
  prebuilt="$2"
  zip_path="$4"
  out_dir="$(dirname "$zip_path")"
fi

cd "$repo"
if [ -n "$prebuilt" ]; then
  bin="$prebuilt"
else
  cargo build --locked --release -p lambda --bin bootstrap
  bin="$target_dir/release/bootstrap"
fi

mkdir -p "$out_dir"
write_zip() {
  python3 - "$bin" "$1" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    data = f.read()
info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
info.create_system = 3                      # unix, so the mode below is honoured
info.external_attr = (0o100755 & 0xFFFF) << 16  # regular file, rwxr-xr-x
info.compress_type = zipfile.ZIP_DEFLATED
with zipfile.ZipFile(dst, "w") as z:
    z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
PY
}
write_zip "$zip_path.tmp"
mv "$zip_path.tmp" "$zip_path"

# The zip step itself must be deterministic: write it again and compare.
check="$(mktemp)"
trap 'rm -f "$check"' EXIT
write_zip "$check"
cmp -s "$zip_path" "$check" || { echo "lambda-package: zip is not reproducible" >&2; exit 1; }

size=$(stat -c %s "$zip_path")
bin_size=$(stat -c %s "$bin")
sha_hex=$(sha256sum "$zip_path" | cut -d' ' -f1)
sha_b64=$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$zip_path")
echo "zip:        $zip_path"
echo "zip bytes:  $size ($(python3 -c "print(round($size/1048576, 2))") MiB)"
echo "bootstrap:  $bin_size bytes"
echo "sha256:     $sha_hex"
echo "base64:     $sha_b64"

[ -z "$prebuilt" ] || exit 0

# glibc requirement of the packaged binary (the same check runs in `cargo test`). The release
# flags above are dropped so the test build reuses the ordinary debug artifacts.
env -u RUSTFLAGS -u SOURCE_DATE_EPOCH LAMBDA_GLIBC_CHECK_BIN="$bin" \
  cargo test --locked -q -p lambda --test glibc -- --nocapture
