#!/usr/bin/env bash
# Lesson 09's speed and memory measurement: a separate run, not part of `swift test`
# (it moves a large file). In one run it times the same work done locally, a verified
# copy (md5sum FILE, cp, md5sum COPY), then a loopback upload with the release build,
# and reads each side's peak resident memory. Linux: md5sum, /proc, GNU /usr/bin/time.
#
#     bash Lessons/09-file-transfer/measure-speed.sh [MIB]     (default 1024)
set -euo pipefail
cd "$(dirname "$0")/../.."
mib=${1:-1024}
swift build -c release --product lesson09-server >/dev/null
swift build -c release --product lesson09-client >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/lesson09-speed-XXXXXX)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s%N; }
ms() { echo "$(( ($2 - $1) / 1000000 ))"; }

head -c $((mib << 20)) /dev/urandom >"$work/file.bin"
mkdir "$work/root"
echo "file: $mib MiB of random bytes, in the page cache"

start=$(now)
md5sum "$work/file.bin" >/dev/null
cp "$work/file.bin" "$work/copy.bin"
md5sum "$work/copy.bin" >/dev/null
local_ms=$(ms "$start" "$(now)")
rm "$work/copy.bin"
echo "local  md5sum + cp + md5sum: $local_ms ms"

"$bin/lesson09-server" --port 0 --root "$work/root" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 500); do
    grep -q "listening on" "$work/server.log" && break
    sleep 0.01
done
port=$(grep -o 'listening on .*' "$work/server.log" | sed 's/.*://')
start=$(now)
/usr/bin/time -f "%M" -o "$work/client.rss" \
    "$bin/lesson09-client" --port "$port" put "$work/file.bin" >"$work/client.log"
upload_ms=$(ms "$start" "$(now)")
echo "upload lesson09-client put:  $upload_ms ms ($(( upload_ms * 100 / local_ms ))% of local)"
cmp -s "$work/file.bin" "$work/root/file.bin" && echo "stored file: identical"
echo "peak RSS: client $(cat "$work/client.rss") KiB," \
    "server $(awk '/VmHWM/ {print $2}' "/proc/$server/status") KiB"
start=$(now)
"$bin/lesson09-client" md5 "$work/file.bin" >/dev/null
hash_ms=$(ms "$start" "$(now)")
start=$(now)
md5sum "$work/file.bin" >/dev/null
md5sum_ms=$(ms "$start" "$(now)")
echo "hash alone: lesson09-client md5 $hash_ms ms, md5sum $md5sum_ms ms"
