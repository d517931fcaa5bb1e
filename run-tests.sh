#!/usr/bin/env bash
# The test command (README): installs what the tests need, runs every test project of Gateway.sln and ends with one
# line "N passed, N failed". Exits with dotnet test's exit code (1 if no test summary was printed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

missing=()
if [[ ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi
if [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
    missing+=(postgresql-15)
fi
if (( ${#missing[@]} > 0 )); then
    sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        sudo=(sudo --preserve-env=DEBIAN_FRONTEND)
    fi
    echo "Installing missing packages: ${missing[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y "${missing[@]}"
fi

# docker-compose validates docker-compose.yml in the tests (no engine needed). Without recommends, so that no Docker
# engine is installed alongside. If it cannot be installed, that test says so instead of checking.
if ! command -v docker-compose > /dev/null; then
    sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        sudo=(sudo --preserve-env=DEBIAN_FRONTEND)
    fi
    echo "Installing missing package: docker-compose"
    if ! { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y --no-install-recommends docker-compose; }; then
        export GATEWAY_TEST_NO_COMPOSE="docker-compose could not be installed with apt-get"
        echo "$GATEWAY_TEST_NO_COMPOSE; the compose file test will not check it"
    fi
fi

dotnet tool restore

# The fault tests hold thousands of connections open (test process and gateway both): raise the soft limit on open
# files to the hard limit. Where the hard limit is low, those tests scale down and say so.
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true

mkdir -p .ci/out
set +e
rm -f .ci/out/results.trx
dotnet test Gateway.sln --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" \
    --results-directory .ci/out 2>&1 | tee .ci/out/test.log
status=${PIPESTATUS[0]}
set -e

# Sums the per-assembly summaries. With the console logger at normal verbosity each assembly prints a block
#   Total tests: 12 / Passed: 11 / Failed: 1 / Skipped: 0 / Total time: ...
# and at minimal verbosity one line
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: ...
# Both are understood; the one-line form wins if both appear, so nothing is counted twice.
summary_awk='
/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    line_found = 1
    n = split($0, fields, ",")
    for (i = 1; i <= n; i++) {
        value = fields[i]
        if (value ~ /Failed: *[0-9]+/) {
            sub(/.*Failed: */, "", value)
            line_failed += value
        } else if (value ~ /Passed: *[0-9]+/) {
            sub(/.*Passed: */, "", value)
            line_passed += value
        }
    }
    next
}
/^ *Total tests: *[0-9]+ *$/ { block_found = 1; in_block = 1; next }
/^ *Total time:/ { in_block = 0; next }
in_block && /^ *Passed: *[0-9]+ *$/ { value = $0; sub(/.*Passed: */, "", value); block_passed += value; next }
in_block && /^ *Failed: *[0-9]+ *$/ { value = $0; sub(/.*Failed: */, "", value); block_failed += value; next }
END {
    if (line_found) {
        printf "%d passed, %d failed\n", line_passed, line_failed
    } else if (block_found) {
        printf "%d passed, %d failed\n", block_passed, block_failed
    } else {
        print "0 passed, 1 failed"
        exit 1
    }
}
'

set +e
summary="$(sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' .ci/out/test.log | awk "$summary_awk")"
found=$?
set -e

# The failed tests, each with the first lines of its message, just above the totals: the end of the output is
# what a CI page shows, and the test log above is long.
if [[ -f .ci/out/results.trx ]] && command -v python3 > /dev/null; then
    python3 .ci/failed-tests.py .ci/out/results.trx || true
fi

echo "$summary"
if (( found != 0 )); then
    exit 1
fi
exit "$status"
