#!/usr/bin/env bash
# The benchmark (README, docs/benchmarks.md). Builds the gateway in Release, starts a private durable PostgreSQL
# (fsync and synchronous_commit on), a sink on loopback, the gateway relaying to it and, when Postfix is installed,
# a private Postfix relaying to a second sink; drives both with the same load (Gateway.Bench) and prints one table.
# Everything listens on 127.0.0.1 only, on free ports. Sizes: BENCH_MESSAGES, BENCH_SESSIONS, BENCH_SEED, BENCH_IDLE;
# BENCH_TRACE=file.nettrace also profiles the gateway during the first run (needs dotnet-trace, BENCH_TRACE_TOOL);
# BENCH_CONNECTION_EXTRA adds settings to the gateway's connection string (e.g. "Max Auto Prepare=0" for an A/B run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MESSAGES=${BENCH_MESSAGES:-4000}
SESSIONS=${BENCH_SESSIONS:-20}
SIZE=${BENCH_SIZE:-2048}
SEED=${BENCH_SEED:-1000000}
IDLE=${BENCH_IDLE:-5000}
PGBIN=${BENCH_PGBIN:-/usr/lib/postgresql/15/bin}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ulimit -n "$(ulimit -Hn)"  # 5,000 idle connections need more than the usual 1,024

WORK=$(mktemp -d /tmp/gw-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -f "$WORK/postfix/etc/main.cf" ]]; then /usr/sbin/postfix -c "$WORK/postfix/etc" stop >/dev/null 2>&1 || true; fi
    if [[ -d "$WORK/pg" ]]; then as_postgres "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
value() { grep "^$2=" "$1" | tail -1 | cut -d= -f2; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
reset_hwm() { echo 5 > "/proc/$1/clear_refs"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL's CPU: the postmaster, its children alive now, and (cutime + cstime) the children it has reaped.
pg_ticks() {
    local pm; pm=$(head -1 "$WORK/pg/data/postmaster.pid")
    { awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat"
      for child in $(cat "/proc/$pm/task/$pm/children"); do awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null; done
    } | awk '{sum += $1} END {print sum}'
}

echo "== build (Release)"
dotnet build Gateway.Api/Gateway.Api.csproj -c Release -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet build Gateway.Bench/Gateway.Bench.csproj -c Release -v quiet -nologo >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
API=Gateway.Api/bin/Release/net10.0/Gateway.Api.dll
BENCH=(dotnet Gateway.Bench/bin/Release/net10.0/Gateway.Bench.dll)

echo "== PostgreSQL (durable: fsync=on, synchronous_commit=on)"
PGPORT=$(free_port)
mkdir -p "$WORK/pg" && chown postgres:postgres "$WORK/pg" 2>/dev/null || true
as_postgres "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -t 60 -o "-c listen_addresses=127.0.0.1 \
 -p $PGPORT -k $WORK/pg -c fsync=on -c synchronous_commit=on -c shared_buffers=256MB -c max_connections=300 \
 -c max_wal_size=4GB" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres gateway
PSQL=("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d gateway -qAt)
echo "   $("${PSQL[@]}" -c 'SHOW fsync') fsync, $("${PSQL[@]}" -c 'SHOW synchronous_commit') synchronous_commit"

echo "== sinks"
SINK_GW=$(free_port); SINK_PF=$(free_port)
"${BENCH[@]}" sink --port "$SINK_GW" --stats "$WORK/sink-gw" & PIDS+=($!)
"${BENCH[@]}" sink --port "$SINK_PF" --stats "$WORK/sink-pf" & PIDS+=($!)
wait_port "$SINK_GW"; wait_port "$SINK_PF"

echo "== gateway"
SMTP=$(free_port); HTTP=$(free_port)
# The REST API needs a key; the gateway stores this one at start (Gateway:Api:BootstrapKey) and the probe sends it.
export BENCH_API_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(36))')
Gateway__Api__BootstrapKey=$BENCH_API_KEY ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
ConnectionStrings__Gateway="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=gateway;Maximum Pool Size=100${BENCH_CONNECTION_EXTRA:+;$BENCH_CONNECTION_EXTRA}" \
Urls="http://127.0.0.1:$HTTP" Gateway__Smtp__Port=$SMTP Gateway__Smtp__BindAddress=127.0.0.1 \
Gateway__Smtp__Hostname=gateway.bench Gateway__Relay__Smarthost="127.0.0.1:$SINK_GW" \
Gateway__Smtp__MaxConnections=$(( IDLE + 1000 )) Gateway__Smtp__MaxConnectionsPerClient=$(( IDLE + 1000 )) \
Gateway__Relay__FirstRetryDelay=00:00:05 Gateway__Relay__PollInterval=00:00:01 \
    dotnet "$API" >"$WORK/gateway.log" 2>&1 & GW=$!; PIDS+=($GW)
wait_port "$SMTP" || { cat "$WORK/gateway.log"; exit 1; }
for _ in $(seq 300); do
    curl -sf -H "Authorization: Bearer $BENCH_API_KEY" "http://127.0.0.1:$HTTP/api/v1/messages?limit=1" >/dev/null \
        && break
    sleep 0.2
done

POSTFIX=no
if [[ -x /usr/sbin/postfix && -x /usr/sbin/postconf ]]; then
    echo "== Postfix (private instance, relaying to its own sink)"
    PF=$WORK/postfix; PFPORT=$(free_port)
    mkdir -p "$PF/etc" "$PF/queue" "$PF/data"
    chown postfix "$PF/data" 2>/dev/null || true
    cat >"$PF/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
myhostname = postfix.bench
mydomain = bench.invalid
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$SINK_PF
smtpd_relay_restrictions = permit_mynetworks, reject
smtp_host_lookup = native
smtp_dns_support_level = disabled
alias_maps =
alias_database =
local_recipient_maps =
message_size_limit = 60000000
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
CONF
    # Debian's master.cf without chroot, with smtpd on our loopback port instead of port 25.
    awk -v port="$PFPORT" '
        /^smtp +inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
        /^[a-z]/ && NF >= 8 { $5 = "n" }
        { print }' /etc/postfix/master.cf >"$PF/etc/master.cf"
    /usr/sbin/postfix -c "$PF/etc" start >"$WORK/postfix-start.log" 2>&1 && wait_port "$PFPORT" && POSTFIX=yes \
        || { echo "   Postfix did not start:"; cat "$WORK/postfix-start.log"; }
fi

load() { "${BENCH[@]}" load --sessions "$SESSIONS" --size "$SIZE" "$@"; }

echo "== warm-up"
load --port "$SMTP" --messages 500 --sink-stats "$WORK/sink-gw" >/dev/null
[[ $POSTFIX == yes ]] && load --port "$PFPORT" --messages 500 --sink-stats "$WORK/sink-pf" >/dev/null

echo "== accept and end-to-end, one message per connection"
reset_hwm $GW; ticks0=$(cpu_ticks $GW); pg0=$(pg_ticks)
if [[ -n "${BENCH_TRACE:-}" ]]; then
    # Profiling (docs/benchmarks.md): a sampled thread-time trace of the gateway for BENCH_TRACE_SECONDS (15) from
    # the start of this run, with dotnet-trace. It stops by --duration: run from a script it never sees the Enter
    # or Ctrl+C that would stop it otherwise, and would go on sampling an idle gateway.
    "${BENCH_TRACE_TOOL:-dotnet-trace}" collect -p "$GW" --profile dotnet-sampled-thread-time -o "$BENCH_TRACE" \
        --duration "00:00:00:${BENCH_TRACE_SECONDS:-15}" </dev/null >"$WORK/trace.log" 2>&1 & TRACE_PID=$!
    sleep 2
fi
load --port "$SMTP" --messages "$MESSAGES" --sink-stats "$WORK/sink-gw" | tee "$WORK/gw-one"
if [[ -n "${BENCH_TRACE:-}" ]]; then wait $TRACE_PID || cat "$WORK/trace.log"; fi
ticks1=$(cpu_ticks $GW); pg1=$(pg_ticks); GW_PEAK=$(( $(hwm_kb $GW) / 1024 ))
GW_CPU=$(python3 -c "print(f'{($ticks1-$ticks0)/$(getconf CLK_TCK)/$MESSAGES*1000:.2f}')")
PG_CPU=$(python3 -c "print(f'{($pg1-$pg0)/$(getconf CLK_TCK)/$MESSAGES*1000:.2f}')")
if [[ $POSTFIX == yes ]]; then load --port "$PFPORT" --messages "$MESSAGES" --sink-stats "$WORK/sink-pf" | tee "$WORK/pf-one"; fi

echo "== accept, 100 messages per connection with PIPELINING"
load --port "$SMTP" --messages "$MESSAGES" --per-connection 100 --pipelining --sink-stats "$WORK/sink-gw" | tee "$WORK/gw-pipe"
if [[ $POSTFIX == yes ]]; then
    load --port "$PFPORT" --messages "$MESSAGES" --per-connection 100 --pipelining --sink-stats "$WORK/sink-pf" | tee "$WORK/pf-pipe"
fi

echo "== latency at half the maximum rate (one message per connection)"
HALF=$(python3 -c "print(max(1, int(float('$(value "$WORK/gw-one" accept_rate)') / 2)))")
load --port "$SMTP" --messages $(( HALF * 10 )) --rate "$HALF" --sink-stats "$WORK/sink-gw" | tee "$WORK/gw-lat"
if [[ $POSTFIX == yes ]]; then
    PF_HALF=$(python3 -c "print(max(1, int(float('$(value "$WORK/pf-one" accept_rate)') / 2)))")
    load --port "$PFPORT" --messages $(( PF_HALF * 10 )) --rate "$PF_HALF" --sink-stats "$WORK/sink-pf" | tee "$WORK/pf-lat"
    echo "== gateway latency at Postfix's half rate (the same load for both)"
    load --port "$SMTP" --messages $(( PF_HALF * 10 )) --rate "$PF_HALF" --sink-stats "$WORK/sink-gw" | tee "$WORK/gw-lat-pf"
fi

echo "== $IDLE idle connections"
IDLE_BEFORE=$(( $(rss_kb $GW) / 1024 ))
"${BENCH[@]}" idle --port "$SMTP" --count "$IDLE" --ready "$WORK/idle-ready" >"$WORK/idle" 2>&1 & IDLE_PID=$!; PIDS+=($IDLE_PID)
for _ in $(seq 1200); do [[ -f "$WORK/idle-ready" ]] && break; sleep 0.1; done
sleep 2
IDLE_RSS=$(( $(rss_kb $GW) / 1024 )); IDLE_OPEN=$(cat "$WORK/idle-ready" 2>/dev/null || echo 0)
kill $IDLE_PID; wait $IDLE_PID 2>/dev/null || true
echo "   $IDLE_OPEN open: RSS ${IDLE_RSS} MB (before: ${IDLE_BEFORE} MB)"

echo "== one 50 MB message"
sleep 2; reset_hwm $GW; BIG_BEFORE=$(( $(rss_kb $GW) / 1024 ))
"${BENCH[@]}" load --port "$SMTP" --sessions 1 --messages 1 --size 50000000 --sink-stats "$WORK/sink-gw" | tee "$WORK/gw-big"
BIG_PEAK=$(( $(hwm_kb $GW) / 1024 ))

echo "== seed $SEED messages, then REST queries"
seed_start=$(date +%s.%N)
"${PSQL[@]}" -v count="$SEED" -f bench/seed.sql
SEED_SECONDS=$(python3 -c "import time; print(f'{time.time()-$seed_start:.0f}')")
echo "   seeded in ${SEED_SECONDS} s; $("${PSQL[@]}" -c 'SELECT count(*) FROM messages') messages in the store"
"${BENCH[@]}" rest --url "http://127.0.0.1:$HTTP" --requests 200 | tee "$WORK/rest"

SUM_AWK='/^rejected/ {r += $2} /^errors/ {e += $2} END {print r " / " e}'
ratio() { python3 -c "a,b='$1','$2'; print(f'{float(a)/float(b):.2f}x' if a and b else 'n/a')"; }
pf() { if [[ $POSTFIX == yes ]]; then value "$WORK/$1" "$2"; else echo ""; fi; }
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
echo
echo "Gateway $(git rev-parse --short HEAD) vs Postfix $( [[ $POSTFIX == yes ]] && /usr/sbin/postconf -d -h mail_version || echo '(not installed)' ), $(nproc) cores, load average $LOAD, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$MESSAGES messages of $SIZE bytes per run, $SESSIONS sessions; durable: PostgreSQL fsync=on synchronous_commit=on"
echo
echo "| measure | Gateway | Postfix | ratio |"
echo "| --- | ---: | ---: | ---: |"
row() { echo "| $1 | $2 | $3 | $( [[ -n "$3" ]] && ratio "$2" "$3" || echo '' ) |"; }
row "accept msg/s, 1 per connection" "$(value "$WORK/gw-one" accept_rate)" "$(pf pf-one accept_rate)"
row "end-to-end msg/s, 1 per connection" "$(value "$WORK/gw-one" e2e_rate)" "$(pf pf-one e2e_rate)"
row "accept msg/s, 100 per connection, PIPELINING" "$(value "$WORK/gw-pipe" accept_rate)" "$(pf pf-pipe accept_rate)"
row "end-to-end msg/s, 100 per connection" "$(value "$WORK/gw-pipe" e2e_rate)" "$(pf pf-pipe e2e_rate)"
echo "| latency p50 / p99 ms at half max (Gateway $HALF/s, Postfix ${PF_HALF:-n/a}/s) | $(value "$WORK/gw-lat" latency_p50_ms) / $(value "$WORK/gw-lat" latency_p99_ms) | $(pf pf-lat latency_p50_ms) / $(pf pf-lat latency_p99_ms) | |"
if [[ $POSTFIX == yes ]]; then
    echo "| latency p50 / p99 ms at the same rate, Postfix's half max ($PF_HALF/s) | $(value "$WORK/gw-lat-pf" latency_p50_ms) / $(value "$WORK/gw-lat-pf" latency_p99_ms) | $(pf pf-lat latency_p50_ms) / $(pf pf-lat latency_p99_ms) | |"
fi
echo "| rejected / errors (all runs) | $(cat "$WORK"/gw-{one,pipe,lat} $( [[ -f "$WORK/gw-lat-pf" ]] && echo "$WORK/gw-lat-pf") | awk -F= "$SUM_AWK") | $( [[ $POSTFIX == yes ]] && cat "$WORK"/pf-{one,pipe,lat} | awk -F= "$SUM_AWK") | |"
echo "| gateway peak RSS MB during the 1-per-connection run | $GW_PEAK | | |"
echo "| gateway CPU s per 1,000 messages (accept + relay) | $GW_CPU | | |"
echo "| PostgreSQL CPU s per 1,000 messages (the same run) | $PG_CPU | | |"
echo "| gateway RSS MB with $IDLE_OPEN idle connections (before: $IDLE_BEFORE) | $IDLE_RSS | | |"
echo "| gateway peak RSS MB with one 50 MB message (before: $BIG_BEFORE) | $BIG_PEAK | | |"
echo "| REST listing p50 / p95 ms, $SEED messages seeded | $(value "$WORK/rest" list_p50_ms) / $(value "$WORK/rest" list_p95_ms) | | |"
echo "| REST detail p50 / p95 ms | $(value "$WORK/rest" detail_p50_ms) / $(value "$WORK/rest" detail_p95_ms) | | |"
} | tee bench/last-result.md
