#!/usr/bin/env bash
# Time the README's first command on a fresh clone: its install step, `make run` until the chat page
# answers (first start: ingest and the one-time ONNX export), then a second start. The first command's
# total is the install plus the first start. Usage: bash benchmarks/fresh_start.sh [CLONE_DIR] [PORT]. The clone, its .venv and
# its data folder are new (the package cache is whatever pip has). Talks to 127.0.0.1 only.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-$(mktemp -d)/news-assistant}"
PORT="${2:-7931}"
rm -rf "$DIR"
git clone -q "$SRC" "$DIR"
cd "$DIR"
export ASSISTANT_DATA_DIR="$DIR/.data" GRADIO_SERVER_PORT="$PORT"

start() {  # seconds from `make run` to the page answering on $PORT
    local t0 pid
    t0=$(date +%s.%N)
    setsid make run >"$DIR/run-$1.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do
        kill -0 "$pid" 2>/dev/null || { tail -20 "$DIR/run-$1.log"; exit 1; }
        sleep 0.2
    done
    echo "$1 start: $(echo "$(date +%s.%N) - $t0" | bc) s to a usable page"
    kill -- "-$pid"  # make and the ui.py it started
    wait "$pid" 2>/dev/null || true
    while curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.2; done
}

t0=$(date +%s.%N)
make setup >"$DIR/setup.log" 2>&1
echo "make setup (the install step of make run): $(echo "$(date +%s.%N) - $t0" | bc) s"
start first
start second
