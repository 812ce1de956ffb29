#!/usr/bin/env bash
# Regenerates the sample reports in this folder by running the real tools on the sample projects in
# ./projects (each has passing, failing and skipped tests on purpose). The projects are copied to
# $ROOT first, so the reports carry paths like a sandbox's (/tmp/daytona-testing-samples/<project>/...),
# which the tests map back to ./projects/<project>. A tool that is not installed is skipped, loudly;
# its old report (if any) is left as it is.
#   bash test/unit/core/testing/reports/make-reports.sh
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../../../.." && pwd)"
ROOT="${ROOT:-/tmp/daytona-testing-samples}"
rm -rf "$ROOT" && mkdir -p "$ROOT"
cp -R "$HERE/projects/." "$ROOT/"

# Each tool exits non-zero because the samples fail on purpose; only a missing report is an error.
made() { if [ -s "$1" ]; then echo "made $(basename "$1")"; else echo "FAILED to make $(basename "$1")" >&2; fi; }

echo "node $(node --version)"
( cd "$ROOT/node" && node --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$HERE/node-junit.xml" >/dev/null 2>&1 )
made "$HERE/node-junit.xml"
( cd "$ROOT/node" && node --test --test-reporter=tap >"$HERE/node-tap.txt" 2>/dev/null )
made "$HERE/node-tap.txt"

MOCHA="$REPO/node_modules/.bin/mocha"
if [ -x "$MOCHA" ]; then
  echo "mocha $("$MOCHA" --version)"
  ( cd "$ROOT/mocha" && "$MOCHA" --reporter xunit --reporter-option output="$HERE/mocha-xunit.xml" >/dev/null 2>&1 )
  made "$HERE/mocha-xunit.xml"
  ( cd "$ROOT/mocha" && "$MOCHA" --reporter tap >"$HERE/mocha-tap.txt" 2>/dev/null )
  made "$HERE/mocha-tap.txt"
else
  echo "SKIPPED mocha: not installed (npm ci in the repo)" >&2
fi

if python3 -m pytest --version >/dev/null 2>&1; then
  echo "$(python3 -m pytest --version 2>&1)"
  # xunit1 (what detect.ts asks for) has file and line attributes; xunit2 (pytest's default) has not.
  ( cd "$ROOT/pytest" && python3 -m pytest -p no:cacheprovider --junitxml="$HERE/pytest-junit.xml" -o junit_family=xunit1 >/dev/null 2>&1 )
  made "$HERE/pytest-junit.xml"
  ( cd "$ROOT/pytest" && python3 -m pytest -p no:cacheprovider --junitxml="$HERE/pytest-junit-xunit2.xml" >/dev/null 2>&1 )
  made "$HERE/pytest-junit-xunit2.xml"
else
  echo "SKIPPED pytest: python3 -m pytest is not installed (apt-get install python3-pytest)" >&2
fi

if command -v go >/dev/null 2>&1; then
  echo "$(go version)"
  ( cd "$ROOT/go" && GOFLAGS=-count=1 go test -json ./... >"$HERE/go-test.jsonl" 2>/dev/null )
  made "$HERE/go-test.jsonl"
else
  echo "SKIPPED go: not installed (apt-get install golang-go)" >&2
fi

if command -v cargo >/dev/null 2>&1; then
  echo "$(cargo --version)"
  # Built once first, so the kept output has no compile progress lines (the parser passes them on as output).
  ( cd "$ROOT/cargo" && CARGO_TARGET_DIR="$ROOT/.cargo-target" cargo test --no-run --color never >/dev/null 2>&1 )
  # Stable cargo has no machine-readable test report (--format json/junit need -Z unstable-options,
  # which stable refuses); the parser reads libtest's plain output, so that is what is kept.
  ( cd "$ROOT/cargo" && CARGO_TARGET_DIR="$ROOT/.cargo-target" RUST_BACKTRACE=1 cargo test --no-fail-fast --color never >"$HERE/cargo-test.txt" 2>&1 )
  made "$HERE/cargo-test.txt"
  ( cd "$ROOT/cargo" && CARGO_TARGET_DIR="$ROOT/.cargo-target" cargo test --color never -- -Z unstable-options --format json \
      >"$HERE/cargo-json-refused.txt" 2>&1 )
  echo "cargo --format json on stable: $(grep -m1 -o 'error.*' "$HERE/cargo-json-refused.txt" || echo accepted)"
  rm -f "$HERE/cargo-json-refused.txt"
else
  echo "SKIPPED cargo: not installed" >&2
fi
