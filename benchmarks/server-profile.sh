#!/usr/bin/env bash
# Profiles the server of latency.sh's connections row: the same thread-per-connection Java echo server on inet4j over
# a TAP ("inet4j") or on the JDK's sockets over a veth ("jdk"), under the same load (4 kernel client threads doing
# connect + 1-byte echo + close). A diagnosis, not a figure: the ratios belong to latency.sh.
#
#   sudo benchmarks/server-profile.sh inet4j            # conn/s each second from a cold server JVM
#   sudo WARMUP=20 PERF_STAT=1 benchmarks/server-profile.sh jdk
#   sudo SECS=18 JIT=1 benchmarks/server-profile.sh inet4j
#
# WARMUP and SECS: the client's uncounted and counted seconds (defaults 1 and 4, latency.sh's). Over the window that
# starts PERF_FROM seconds into the load (default WARMUP - 6 when WARMUP >= 12, else 1) and lasts PERF_SECS (5):
#   PERF_STAT=1  system calls (futex, read, writev, poll, all), context switches and CPU per server thread, per
#                connection accepted in the window (perf stat --per-thread; threads of one role summed: echo-worker,
#                tap-rx, ...), and system calls and context switches of the whole machine (both JVMs, the kernel)
#   PERF_RECORD=F  perf record -g of the server JVM into file F (the JVM keeps frame pointers and writes
#                /tmp/perf-<pid>.map at exit, so perf report names Java methods); PERF_EVENT samples that event
#                instead of the CPU clock, e.g. PERF_EVENT=syscalls:sys_enter_futex to see who makes the futex calls
#   PERF_SPLIT=1  where the machine's CPU goes, per connection, by thread role (server threads, the client's, idle,
#                the rest) and by what ran: compiled or interpreted Java, native code of the JVM and libc, or the kernel
#                (perf record -a, sorted by thread and binary); one of PERF_STAT, PERF_SPLIT and PERF_RECORD at a time
# JIT=1: the server JVM records every compilation (JFR, no threshold); at the end it prints the time C2 spent and the
#   ten most costly of its compilations. SERVER_JAVA_OPTS go to the server's JVM only.
# LAB (default prof) and NET (default 10.133) name the namespaces and the /16 they use; they are removed at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
usage() { echo "usage: server-profile.sh inet4j|jdk (see its header)" >&2; exit 2; }
[ $# = 1 ] || usage
case "$1" in inet4j|jdk) which="$1" ;; *) echo "server-profile: server: '$1' is neither inet4j nor jdk" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "server-profile: needs root (namespaces, veth, TAP)" >&2; exit 2; }
for c in ip java; do command -v "$c" >/dev/null || { echo "server-profile: needs $c" >&2; exit 2; }; done
if [ -n "${PERF_STAT:-}${PERF_SPLIT:-}${PERF_RECORD:-}" ]; then command -v perf >/dev/null || { echo "server-profile: needs perf" >&2; exit 2; }; fi
perf_modes=0
for m in "${PERF_STAT:-}" "${PERF_SPLIT:-}" "${PERF_RECORD:-}"; do [ -z "$m" ] || perf_modes=$((perf_modes + 1)); done
[ "$perf_modes" -le 1 ] || { echo "server-profile: PERF_STAT, PERF_SPLIT, PERF_RECORD: one at a time" >&2; exit 2; }
if [ -n "${JIT:-}" ]; then command -v jfr >/dev/null || { echo "server-profile: JIT=1 needs the JDK's jfr" >&2; exit 2; }; fi
jar="$here/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests -Dinvoker.skip=true)

LAB="${LAB:-prof}" NET="${NET:-10.133}" WARMUP="${WARMUP:-1}" SECS="${SECS:-4}" PERF_SECS="${PERF_SECS:-5}"
if [ -z "${PERF_FROM:-}" ]; then
  PERF_FROM=1
  if [ "${WARMUP%.*}" -ge 12 ]; then PERF_FROM=$(( ${WARMUP%.*} - 6 )); fi
fi
p="$LAB$$" c="${LAB}$$c" s="${LAB}$$s"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$c" 2>/dev/null || true
  ip netns del "$s" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for n in "$c" "$s"; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip netns exec "$c" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1

opts=(${SERVER_JAVA_OPTS:-})
[ -n "${PERF_RECORD:-}" ] && opts+=(-XX:+UnlockDiagnosticVMOptions -XX:+PreserveFramePointer -XX:+DumpPerfMapAtExit)
if [ -n "${JIT:-}" ]; then
  # The JDK's profile settings, with every compilation recorded instead of those over 100 ms.
  sed 's|<setting name="threshold" control="compiler-compilation-threshold">[^<]*<|<setting name="threshold" control="compiler-compilation-threshold">0 ms<|' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$work/jit.jfc"
  opts+=("-XX:StartFlightRecording=filename=$work/server.jfr,settings=$work/jit.jfc")
fi
main=io.inet4j.benchmarks.latency.LatencyDriver
if [ "$which" = inet4j ]; then
  host=$NET.2.2
  server_args=(--tap "$p" --addr $NET.2.2/24 --peer-netns "$c" --peer-addr $NET.2.1/24)
else
  host=$NET.1.2
  server_args=()
  ip link add "${p}c" netns "$c" type veth peer name "${p}s" netns "$s"
  ip -n "$c" addr add $NET.1.1/24 dev "${p}c"; ip -n "$c" link set "${p}c" up
  ip -n "$s" addr add $NET.1.2/24 dev "${p}s"; ip -n "$s" link set "${p}s" up
fi
# `ip netns exec` execs java, so the pid is the server JVM's.
ip netns exec "$s" java "${opts[@]}" -cp "$jar" "$main" echo-server --port 8 --ready "$work/ready" "${server_args[@]}" \
  >"$work/server.log" 2>&1 & pids+=($!)
server=$!
until [ -e "$work/ready" ]; do kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }; sleep 0.1; done

ip netns exec "$c" java -cp "$jar" "$main" connect-rate --label "$which" --host "$host" --port 8 --out "$work/rate.txt" \
  --warmup "$WARMUP" --seconds "$SECS" >"$work/client.log" 2>&1 & client=$!
if [ -n "${PERF_STAT:-}${PERF_SPLIT:-}${PERF_RECORD:-}" ]; then
  sleep "$PERF_FROM"
  if [ -n "${PERF_STAT:-}" ]; then
    # The whole machine too: over a veth the server's TCP runs in the client's system calls, over a TAP in ours.
    # /proc/stat's first line around the window gives the machine's busy CPU (everything but idle and iowait).
    head -1 /proc/stat >"$work/cpu-before"
    perf stat -a -o "$work/all.txt" -x, -e raw_syscalls:sys_enter,context-switches -- sleep "$PERF_SECS" &
    perf stat --per-thread -p "$server" -o "$work/stat.txt" -x, \
      -e raw_syscalls:sys_enter,syscalls:sys_enter_futex,syscalls:sys_enter_read,syscalls:sys_enter_writev \
      -e syscalls:sys_enter_poll,context-switches,task-clock -- sleep "$PERF_SECS"
    wait "$!"
    head -1 /proc/stat >"$work/cpu-after"
  elif [ -n "${PERF_SPLIT:-}" ]; then
    perf record -a -F 999 -o "$work/split.data" -- sleep "$PERF_SECS" >/dev/null 2>&1
  else
    perf record ${PERF_EVENT:+-e $PERF_EVENT} -F 2000 -g -p "$server" -o "$PERF_RECORD" -- sleep "$PERF_SECS" >/dev/null 2>&1
  fi
fi
wait "$client" || { cat "$work/client.log" >&2; exit 1; }
cat "$work/client.log"
kill "$server"; wait "$server" 2>/dev/null || true; pids=()

if [ -n "${PERF_STAT:-}${PERF_SPLIT:-}" ]; then
  # The client printed how many connections completed in each second from the start: sum those of the window.
  conns=$(sed -n 's/.*each second from the start: \[\(.*\)\]/\1/p' "$work/client.log" | tr -d ' ' | tr ',' '\n' \
    | awk -v from="$PERF_FROM" -v secs="$PERF_SECS" 'NR > from && NR <= from + secs {n += $1} END {print n + 0}')
  echo "per connection over seconds $PERF_FROM-$((PERF_FROM + PERF_SECS)) ($conns connections), by thread role:"
fi
if [ -n "${PERF_STAT:-}" ]; then
  printf "%-16s %8s %8s %8s %8s %8s %8s %10s\n" thread syscalls futex read writev poll ctxsw "cpu us"
  awk -F, -v conns="$conns" '
    NF >= 4 && $1 != "" {
      role = $1; sub(/-[0-9]+$/, "", role); sub(/^tap-rx.*/, "tap-rx", role); sub(/^C[12] CompilerThre.*/, "JIT", role)
      ev = $4; sub(/^.*:(sys_enter_)?/, "", ev); v[role, ev] += $2; roles[role] = 1; evs[ev] = 1
    }
    END {
      for (r in roles) {
        if (v[r, "task-clock"] < 10) continue
        printf "%-16s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %10.1f\n", r, v[r, "sys_enter"] / conns, v[r, "futex"] / conns, \
          v[r, "read"] / conns, v[r, "writev"] / conns, v[r, "poll"] / conns, v[r, "context-switches"] / conns, \
          v[r, "task-clock"] * 1000 / conns
      }
    }' "$work/stat.txt" | sort -k1,1
  awk -F, -v conns="$conns" '$3 ~ /sys_enter/ {sys = $1} $3 == "context-switches" {cs = $1}
    END {printf "whole machine: %.2f system calls, %.2f context switches per connection\n", sys / conns, cs / conns}' \
    "$work/all.txt"
  # Fields after "cpu": user nice system idle iowait irq softirq steal, in USER_HZ ticks.
  cat "$work/cpu-before" "$work/cpu-after" | awk -v conns="$conns" -v hz="$(getconf CLK_TCK)" '
    { busy[NR] = $2 + $3 + $4 + $7 + $8 + $9; idle[NR] = $5 + $6 }
    END {
      b = busy[2] - busy[1]; i = idle[2] - idle[1]
      printf "whole machine: %.1f us of busy CPU per connection, %.1f%% idle\n", b / hz * 1e6 / conns, 100 * i / (b + i)
    }'
fi
if [ -n "${PERF_SPLIT:-}" ]; then
  printf "%-16s %10s %10s %10s %10s   (us of one CPU)\n" thread java native kernel all
  # Samples of every CPU, idle ones included (swapper), so a role's share of them is its share of the machine's time.
  # Without the JVMs' perf maps, compiled Java shows as an anonymous mapping ([unknown], //anon); with them as [JIT].
  perf report -i "$work/split.data" --no-children --sort comm,dso -g none -n -t '|' -q 2>/dev/null | awk -F'|' \
    -v conns="$conns" -v us="$(nproc)e6" -v secs="$PERF_SECS" '
    function trim(x) { gsub(/^ +| +$/, "", x); return x }
    NF >= 4 {
      n = trim($2) + 0; comm = trim($3); dso = trim($4)
      role = comm
      if (comm ~ /^connect-[0-9]+$/) role = "client"
      else if (comm ~ /^tap-rx/) role = "tap-rx"
      else if (comm == "swapper") role = "idle"
      else if (comm !~ /^(echo-worker|echo-acceptor|inet4j-)/) role = "the rest"
      what = dso == "[kernel.kallsyms]" ? "kernel" : dso ~ /^\[JIT\]|^\[unknown\]|^\/\/anon|^perf-/ ? "java" : "native"
      v[role, what] += n; roles[role] = 1; total += n
    }
    END {
      for (r in roles) {
        k = v[r, "kernel"] / total * us * secs / conns; j = v[r, "java"] / total * us * secs / conns
        nat = v[r, "native"] / total * us * secs / conns
        printf "%-16s %10.1f %10.1f %10.1f %10.1f\n", r, j, nat, k, j + nat + k
      }
    }' | sort -k1,1
fi
if [ -n "${JIT:-}" ]; then
  # jfr prints durations with their own unit (ns, us, ms, s): all in seconds here.
  jfr print --events jdk.Compilation "$work/server.jfr" | awk '
    function secs(x, u) { return u == "s" ? x : u == "ms" ? x / 1e3 : u == "us" ? x / 1e6 : x / 1e9 }
    /^jdk.Compilation/ { d = 0; m = ""; level = 0 }
    /^  duration = / { d = secs($3, $4) }
    /^  method = / { m = $3; sub(/\(.*/, "", m) }
    /^  compileLevel = / { level = $3 }
    /^}/ { if (level == 4) { n++; total += d; t[m] += d } }
    END {
      printf "C2: %d compilations, %.2f s\n", n, total
      for (k in t) printf "%8.3f s  %s\n", t[k], k | "sort -rn | head -10"
    }'
fi
