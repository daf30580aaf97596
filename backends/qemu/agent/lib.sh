PVM_OUT=${PVM_OUT:-/tmp/pvm.out}
CR=$(printf '\r')
pvm_now() { read pvm_u pvm_rest < /proc/uptime; pvm_i=${pvm_u%.*}; pvm_f=${pvm_u#*.}; PVM_NOW=$(( (pvm_i*100 + 1$pvm_f - 100) * 10 )); }
pvm_report() { # s k status t0 [valuefile]; the byte count lets the host detect a lossy console
  local n=0
  pvm_now
  if [ -n "$5" ] && [ -s "$5" ]; then base64 "$5" | sed "s/^/@@PVM D $1 $2 /"; n=$(wc -c < "$5"); fi
  echo "@@PVM STEP $1 $2 $3 $(( PVM_NOW - $4 )) $n"
}
pvm_trimmed() { pvm_v=$(cat "$PVM_OUT"); pvm_v="${pvm_v#"${pvm_v%%[![:space:]]*}"}"; pvm_v="${pvm_v%"${pvm_v##*[![:space:]]}"}"; }
pvm_num() { # op n: the value is a plain number (as the host's check wants) and compares so
  case "$pvm_v" in '' | *[!0-9.+-]*) return 1 ;; esac
  awk -v v="$pvm_v" -v n="$2" -v op="$1" 'BEGIN { exit !((op == "ge" && v + 0 >= n) || (op == "le" && v + 0 <= n)) }'
}
# pvm_step S K WITHIN_MS REFUSED ACTION CHECK: run ACTION (value -> $PVM_OUT) until CHECK holds or WITHIN passes.
# REFUSED: 0 the action must succeed, 1 it must fail, 2 either (mayRefuse): reported as it
# happened (ok, or fail with the command's output), and the scenario goes on in both cases.
pvm_step() {
  local s=$1 k=$2 within=$3 refused=$4 act=$5 chk=$6 rc st t0 end
  pvm_now; t0=$PVM_NOW; end=$((t0 + within))
  while :; do
    $act > "$PVM_OUT" 2>&1; rc=$?
    if [ "$refused" = 2 ]; then
      if [ $rc -ne 0 ]; then st=fail; else st=ok; fi
      pvm_report $s $k $st $t0 "$PVM_OUT"
      return 0
    elif [ "$refused" = 1 ]; then
      if [ $rc -ne 0 ]; then st=ok; else st=mismatch; fi
    elif [ $rc -ne 0 ]; then st=fail
    elif $chk; then st=ok
    else st=mismatch; fi
    [ $st = ok ] && break
    pvm_now; [ $PVM_NOW -ge $end ] && break
    sleep 0.2
  done
  pvm_report $s $k $st $t0 "$PVM_OUT"
  [ $st = ok ]
}
pvm_modload() { # modprobe resolves dependencies from the initramfs's modules.dep
  if [ -d "/sys/module/${1//-/_}" ]; then echo "$1: already loaded"; return 0; fi
  modprobe "$1"
}
pvm_online() { # make cpus 1..N-1 online (no udev here: a hot-added vCPU stays offline otherwise)
  local n=$1 i=1 t=0 o
  while [ $i -lt $n ]; do
    if [ -e /sys/devices/system/cpu/cpu$i/online ]; then
      read o < /sys/devices/system/cpu/cpu$i/online
      [ "$o" = 1 ] || echo 1 > /sys/devices/system/cpu/cpu$i/online || return 1
      i=$((i + 1))
    else
      t=$((t + 1)); if [ $t -gt 50 ]; then echo "cpu$i did not appear within 10 s"; return 1; fi
      sleep 0.2
    fi
  done
  read o < /sys/devices/system/cpu/online; echo "$o"
}
pvm_exists() { if [ -e "$1" ]; then echo exists; else echo absent; fi; }
pvm_mount() { # a second mount of a single-instance fs (xenfs) is EBUSY: already there counts
  if grep -q "^$1 $2 " /proc/mounts; then echo "$1 already mounted on $2"; return 0; fi
  mkdir -p "$2" && mount -t "$1" "$1" "$2" && echo "mounted $1 on $2"
}
pvm_write() { { echo "$2" > "$1"; } 2>&1; }
