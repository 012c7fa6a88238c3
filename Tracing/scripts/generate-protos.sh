#!/usr/bin/env bash
# Regenerates Sources/ActorFlowProto/*.pb.swift from the .proto files under Tracing/protos.
#
# This script is NEVER run by `make`, CI or the build: the generated Swift files are committed, and a
# normal build needs neither protoc nor the plugin. Run it by hand after editing a .proto file, then
# commit the .proto change together with the regenerated files.
#
#     Tracing/scripts/generate-protos.sh                       # builds the plugin if needed
#     PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift Tracing/scripts/generate-protos.sh
#
# Needs:
#   - protoc (Debian: protobuf-compiler).
#   - protoc-gen-swift at exactly the SwiftProtobuf version Package.swift pins (1.39.0), because
#     generated code checks the runtime version it was made for. Taken from $PROTOC_GEN_SWIFT;
#     otherwise the script clones swift-protobuf at that tag into $SWIFT_PROTOBUF_CHECKOUT
#     (default /tmp/swift-protobuf) and runs `swift build -c release --product protoc-gen-swift`
#     there (once; 66-82 s measured on this project's 2-core machine).
#
# Generator options:
#   - Visibility=Public: the messages are used from the ActorFlow module (typealiases, conveniences).
#   - FileNaming=PathToUnderscores: tensorflow/core/framework/step_stats.proto becomes
#     tensorflow_core_framework_step_stats.pb.swift. TensorFlow's file names are only unique per
#     directory, and a Swift target needs unique file names, so the path is kept in the name.
#
# The Swift names follow from `package tensorflow;`: message Foo -> Tensorflow_Foo.
set -euo pipefail

readonly swift_protobuf_version="1.39.0"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
proto_root="$repo_root/Tracing/protos"
out_dir="$repo_root/Sources/ActorFlowProto"

if ! command -v protoc >/dev/null 2>&1; then
    echo "generate-protos: protoc not found (Debian: apt-get install protobuf-compiler)" >&2
    exit 1
fi

plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
    checkout="${SWIFT_PROTOBUF_CHECKOUT:-/tmp/swift-protobuf}"
    plugin="$checkout/.build/release/protoc-gen-swift"
    if [ ! -x "$plugin" ]; then
        # The local mirror is preferred when present (offline machines), GitHub otherwise.
        source_repo="${SWIFT_PROTOBUF_GIT:-}"
        if [ -z "$source_repo" ]; then
            if [ -d /opt/swift-packages/apple/swift-protobuf.git ]; then
                source_repo=/opt/swift-packages/apple/swift-protobuf.git
            else
                source_repo=https://github.com/apple/swift-protobuf.git
            fi
        fi
        if [ ! -d "$checkout/.git" ]; then
            echo "generate-protos: cloning swift-protobuf $swift_protobuf_version into $checkout"
            git -c advice.detachedHead=false clone --quiet --branch "$swift_protobuf_version" \
                "$source_repo" "$checkout"
        fi
        echo "generate-protos: building protoc-gen-swift (slow, once)"
        (cd "$checkout" && swift build -c release --product protoc-gen-swift)
    fi
fi

if [ ! -x "$plugin" ]; then
    echo "generate-protos: protoc-gen-swift is not an executable: $plugin" >&2
    exit 1
fi
plugin_version="$("$plugin" --version | awk '{print $NF}')"
if [ "$plugin_version" != "$swift_protobuf_version" ]; then
    echo "generate-protos: $plugin is version $plugin_version, need $swift_protobuf_version" >&2
    exit 1
fi

cd "$proto_root"
protos=()
while IFS= read -r p; do protos+=("$p"); done < <(find tensorflow -name '*.proto' | LC_ALL=C sort)
if [ ${#protos[@]} -eq 0 ]; then
    echo "generate-protos: no .proto files under $proto_root" >&2
    exit 1
fi

# Generate into a scratch directory first so a failure leaves the committed files untouched.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path=. \
    --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=PathToUnderscores \
    --swift_out="$scratch" \
    "${protos[@]}"

mkdir -p "$out_dir"
rm -f "$out_dir"/*.pb.swift
cp "$scratch"/*.pb.swift "$out_dir"/
echo "generate-protos: wrote ${#protos[@]} files to ${out_dir#"$repo_root"/}"
