#!/usr/bin/env bash
# ConvLab's one build script.
#   ./build.sh             build the page into web/ (main.wasm and what loads it)
#   ./build.sh serve [P]   build, then serve web/ on http://127.0.0.1:P/ (default 8080)
#   ./build.sh test        vet, every Go test, the wasm build, the browser tests
#   ./build.sh bench       the engine benchmarks and the in-browser training benchmark
set -euo pipefail
cd "$(dirname "$0")"

die() { printf '\nbuild.sh: %s\n' "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

need_go() {
  command -v go >/dev/null 2>&1 || die "Go is not installed or not on PATH. Install Go 1.26 or newer from the Go distribution (/usr/local/go/bin on these machines)."
  local v
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  local major=${v%%.*} rest=${v#*.}
  local minor=${rest%%.*}
  if [ "${major:-0}" -lt 1 ] || { [ "$major" -eq 1 ] && [ "${minor:-0}" -lt 26 ]; }; then
    die "Go $v is too old: ConvLab needs Go 1.26 or newer (go.mod says so)."
  fi
}

need_chromium() {
  local c="${CONVLAB_CHROMIUM:-}"
  if [ -z "$c" ]; then
    for p in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
      [ -x "$p" ] && { c=$p; break; }
    done
  fi
  [ -n "$c" ] && [ -x "$c" ] || die "the browser tests need Chromium. On Debian: sudo apt-get install -y chromium (or set CONVLAB_CHROMIUM to a Chromium binary). .ci/run installs it."
  export CONVLAB_CHROMIUM="$c"
}

build() {
  need_go
  step "wasm build"
  local out=web
  GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/main.wasm" ./wasm
  local execjs
  execjs="$(go env GOROOT)/lib/wasm/wasm_exec.js"
  [ -f "$execjs" ] || execjs="$(go env GOROOT)/misc/wasm/wasm_exec.js"
  [ -f "$execjs" ] || die "wasm_exec.js not found in $(go env GOROOT)"
  cp "$execjs" "$out/wasm_exec.js"
  # For file:// pages, where fetch() of main.wasm is refused: the module,
  # gzipped, as base64 in a classic script.
  gzip -9 -n -c "$out/main.wasm" > "$out/main.wasm.gz.tmp"
  { printf 'window.convlabWasmGz="'; base64 -w0 "$out/main.wasm.gz.tmp"; printf '";\n'; } > "$out/main.wasm.js"
  local raw gz
  raw=$(stat -c %s "$out/main.wasm")
  gz=$(stat -c %s "$out/main.wasm.gz.tmp")
  rm -f "$out/main.wasm.gz.tmp"
  printf 'window.convlabBuild={wasmBytes:%d,gzipBytes:%d};\n' "$raw" "$gz" > "$out/build-info.js"
  awk -v r="$raw" -v g="$gz" 'BEGIN { printf "main.wasm: %.1f MB raw, %.1f MB gzip\n", r/1048576, g/1048576 }'
  step "training worker build"
  # The training lesson's Web Worker: the engine alone, no Ebitengine.
  GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/worker.wasm" ./wasm/worker
  # For file:// pages: the gzipped module and the worker's source
  # (wasm_exec.js, then worker.js), each as base64, in one classic script.
  gzip -9 -n -c "$out/worker.wasm" > "$out/worker.wasm.gz.tmp"
  {
    printf 'window.convlabWorkerGz="'; base64 -w0 "$out/worker.wasm.gz.tmp"
    printf '";\nwindow.convlabWorkerSrc="'; { cat "$out/wasm_exec.js"; echo; cat "$out/worker.js"; } | base64 -w0
    printf '";\n'
  } > "$out/worker.wasm.js"
  raw=$(stat -c %s "$out/worker.wasm")
  gz=$(stat -c %s "$out/worker.wasm.gz.tmp")
  rm -f "$out/worker.wasm.gz.tmp"
  awk -v r="$raw" -v g="$gz" 'BEGIN { printf "worker.wasm: %.1f MB raw, %.1f MB gzip\n", r/1048576, g/1048576 }'
  echo "Open web/index.html in a browser, or run ./build.sh serve"
}

serve() {
  build
  local port=${1:-8080}
  step "serving web/"
  exec go run ./wasm/devserver/serve -port "$port" -dir web
}

test_all() {
  need_go
  need_chromium
  step "gofmt"
  local unformatted
  unformatted=$(gofmt -l engine wasm assets 2>/dev/null || true)
  [ -z "$unformatted" ] || die "these files need gofmt -w: $unformatted"
  step "go vet (native)"
  go vet ./...
  step "go vet (js/wasm)"
  GOOS=js GOARCH=wasm go vet ./wasm/ ./engine/...
  build
  step "go test (engine, page logic and browser tests)"
  go test -count=1 ./...
  echo
  echo "All tests passed."
}

# bench: the native benchmarks, then the browser benchmark (see BENCHMARKS.md):
# the reference net trained by the engine's wasm build (wasm/benchwasm), on
# the page and in a Web Worker, and by ConvNetJS from npm, in one Chromium.
bench() {
  need_go
  need_chromium
  step "engine benchmarks (native)"
  mkdir -p out/bench
  go test -run '^$' -bench . -benchmem -count "${BENCH_COUNT:-5}" ./engine/... ./wasm/benchwasm/... | tee out/bench/native.txt
  step "native medians (from out/bench/native.txt)"
  awk '/^Benchmark/ { for (i = 3; i <= NF; i++) if ($i ~ /^examples\//) print $1 "|" $i, $(i-1) }' out/bench/native.txt |
    sort -k1,1 -k2,2g |
    awk '{ v[$1] = v[$1] " " $2; n[$1]++ }
         END { for (k in v) { split(substr(v[k], 2), a, " "); m = n[k] % 2 ? a[(n[k]+1)/2] : (a[n[k]/2] + a[n[k]/2+1]) / 2
               split(k, f, "|"); printf "%-66s %8.0f %-14s (median of %d)\n", f[1], m, f[2], n[k] } }' | sort

  step "benchmark wasm build (wasm/benchwasm -> out/bench/)"
  local out=out/bench
  GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/bench.wasm" ./wasm/benchwasm
  local execjs
  execjs="$(go env GOROOT)/lib/wasm/wasm_exec.js"
  [ -f "$execjs" ] || execjs="$(go env GOROOT)/misc/wasm/wasm_exec.js"
  [ -f "$execjs" ] || die "wasm_exec.js not found in $(go env GOROOT)"
  cp "$execjs" "$out/wasm_exec.js"

  step "ConvNetJS 0.3.0 from npm (into .cache/npm, git-ignored)"
  local cnj=.cache/npm/node_modules/convnetjs
  if ! grep -q '"version": "0.3.0"' "$cnj/package.json" 2>/dev/null; then
    command -v npm >/dev/null 2>&1 || die "the browser benchmark needs npm to install ConvNetJS. On Debian: sudo apt-get install -y npm"
    npm install --prefix .cache/npm --no-save --no-package-lock --no-audit --no-fund convnetjs@0.3.0
  fi
  grep -q '"version": "0.3.0"' "$cnj/package.json" || die "npm did not install convnetjs 0.3.0 into .cache/npm"
  cp "$cnj/build/convnet.js" "$out/convnet.js"

  # The browser tests' harness starts from the built page.
  build
  step "browser benchmark (headless Chromium)"
  CONVLAB_BENCH=1 go test -count=1 -timeout 20m -run '^TestBrowserBench$' -v ./wasm/browsertest/
}

case "${1:-build}" in
  build) build ;;
  serve) shift; serve "$@" ;;
  test) test_all ;;
  bench) bench ;;
  -h|--help|help) sed -n '2,6p' "$0" | sed 's/^# //' ;;
  *) die "unknown command '$1'. Use: ./build.sh [build|serve [PORT]|test|bench]" ;;
esac
