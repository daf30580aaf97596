PVM_TS=
pvm_toolstack() {
  [ -n "$PVM_TS" ] && { [ "$PVM_TS" = ok ]; return; }
  local t0 i=0; pvm_now; t0=$PVM_NOW
  for m in xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc; do pvm_modload $m > /dev/null 2>&1; done
  grep -q ' /proc/xen ' /proc/mounts || mount -t xenfs xenfs /proc/xen
  xenstored --pid-file /var/run/xenstored.pid
  while [ ! -S /var/run/xenstored/socket ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  xen-init-dom0 > /tmp/xen-init-dom0.log 2>&1
  xenconsoled --log=guest --log-dir=/var/log/xen/console
  if [ -S /var/run/xenstored/socket ] && xenstore-read domid > /dev/null 2>&1; then PVM_TS=ok; else PVM_TS=error; fi
  pvm_now; echo "@@PVM TOOLSTACK $PVM_TS $((PVM_NOW - t0))"
  [ "$PVM_TS" = ok ]
}
pvm_need_toolstack() { # s k: report the step as a harness error when the toolstack is down
  pvm_toolstack && return 0
  pvm_now; cat /tmp/xen-init-dom0.log > "$PVM_OUT" 2>/dev/null; echo "the xl toolstack did not start" >> "$PVM_OUT"
  pvm_report $1 $2 error $PVM_NOW "$PVM_OUT"; return 1
}
# pvm_domu S K NAME KERNEL MEM_MB MAXMEM_MB VCPUS MAXVCPUS EXTRA BUDGET_MS: create the domU, wait for its agent.
pvm_domu() {
  local s=$1 k=$2 name=$3 t0 end log=/var/log/xen/console/guest-$3.log n=0
  pvm_now; t0=$PVM_NOW; end=$((t0 + ${10}))
  pvm_need_toolstack $s $k || return 1
  printf 'name = "%s"\ntype = "pv"\nkernel = "%s"\nramdisk = "/boot/domu-initrd.gz"\nextra = "%s"\nmemory = %s\nmaxmem = %s\nvcpus = %s\nmaxvcpus = %s\non_poweroff = "destroy"\non_reboot = "destroy"\non_crash = "destroy"\n' \
    "$name" "$4" "$9" "$5" "$6" "$7" "$8" > /etc/xen/$name.cfg
  if ! xl create /etc/xen/$name.cfg > "$PVM_OUT" 2>&1; then pvm_report $s $k fail $t0 "$PVM_OUT"; return 1; fi
  while :; do
    if grep -q '@@PVM READY' $log 2>/dev/null; then break; fi
    n=$((n + 1))
    if [ $((n % 5)) = 0 ] && ! xl domid $name > /dev/null 2>&1; then
      { echo "domain $name died before its /init ran; the end of its console:"; tail -n 25 $log 2>/dev/null | tr -d '\r'; } > "$PVM_OUT"
      pvm_report $s $k fail $t0 "$PVM_OUT"; return 1
    fi
    pvm_now
    if [ $PVM_NOW -ge $end ]; then
      { echo "domain $name: no /init marker within $((${10} / 1000)) s; the end of its console:"; tail -n 25 $log 2>/dev/null | tr -d '\r'; } > "$PVM_OUT"
      pvm_report $s $k timeout $t0 "$PVM_OUT"; return 1
    fi
    sleep 0.3
  done
  PVM_TTY=$(xenstore-read /local/domain/$(xl domid $name)/console/tty)
  PVM_LOG=$log; PVM_NAME=$name
  { grep -a -o '@@PVM READY.*' $log | tr -d '\r'; echo "domain $name created with $4"; } > "$PVM_OUT"
  pvm_report $s $k ok $t0 "$PVM_OUT"
}
# pvm_guest S K BUDGET_MS: run step K of scenario S inside the domU, copy its framed result here.
pvm_guest() {
  local s=$1 k=$2 t0 end n=0 st
  pvm_now; t0=$PVM_NOW; end=$((t0 + $3))
  echo "${s}_$k" > "$PVM_TTY"
  while ! grep -q "@@PVM STEP $s $k " $PVM_LOG; do
    n=$((n + 1))
    pvm_now
    if [ $PVM_NOW -ge $end ] || { [ $((n % 10)) = 0 ] && ! xl domid $PVM_NAME > /dev/null 2>&1; }; then
      { echo "no answer from the guest within $(( ($PVM_NOW - t0) / 1000 )) s; the end of its console:"; tail -n 25 $PVM_LOG | tr -d '\r'; } > "$PVM_OUT"
      pvm_report $s $k timeout $t0 "$PVM_OUT"; return 1
    fi
    sleep 0.3
  done
  grep -a -o -E "@@PVM (D|STEP) $s $k .*" $PVM_LOG | tr -d '\r'
  st=$(grep -a -o "@@PVM STEP $s $k [a-z]*" $PVM_LOG)
  [ "${st##* }" = ok ]
}
# Device hotplug without xen-utils-common: libxl runs a vbd's or vif's hotplug script and waits
# for it; ours do the part the backends need. blkback opens the block device named by
# `physical-device` (major:minor in hex, what Xen's `block` script writes); netback connects
# only once `hotplug-status` is `connected` (what `vif-bridge` writes after bridging the vif).
PVM_DEV=
pvm_devices() {
  [ -n "$PVM_DEV" ] && return 0
  for m in loop xen-blkback xen-netback; do pvm_modload $m > /dev/null 2>&1; done
  mkdir -p /etc/xen/scripts
  printf '%s\n' '#!/bin/sh' 'case "$1" in add) p=$(xenstore-read "$XENBUS_PATH/params") || exit 1; set -- $(stat -L -c "%t %T" "$p") || exit 1' \
    '  xenstore-write "$XENBUS_PATH/physical-device" "$1:$2" "$XENBUS_PATH/hotplug-status" connected ;; esac' > /etc/xen/scripts/pvm-block
  printf '%s\n' '#!/bin/sh' 'case "$1" in online|add) xenstore-write "$XENBUS_PATH/hotplug-status" connected ;; esac' > /etc/xen/scripts/pvm-vif
  chmod 755 /etc/xen/scripts/pvm-block /etc/xen/scripts/pvm-vif
  PVM_DEV=ok
}
# pvm_attach DOM KIND VDEV: a vbd is a 16 MiB file on a loop device (phy: needs no tap/qdisk).
pvm_attach() {
  pvm_devices
  if [ "$2" = vif ]; then xl network-attach $1 script=/etc/xen/scripts/pvm-vif; return; fi
  local img=/tmp/pvm-$1-$3.img loop
  dd if=/dev/zero of=$img bs=1M count=16 2> /dev/null || return 1
  loop=$(losetup -f) && losetup $loop $img || return 1
  echo "$3: phy:$loop ($img)"
  xl block-attach $1 "phy:$loop,$3,w,script=/etc/xen/scripts/pvm-block"
}
# pvm_detach DOM KIND VDEV [force]
pvm_detach() {
  if [ "$2" = vif ]; then xl network-detach $1 0; return; fi
  if [ "$4" = force ]; then xl block-detach --force $1 $3; else xl block-detach $1 $3; fi
}
# pvm_klog DOM: the guest prints its kernel log on its console (its console level, set low so
# that kernel lines do not cut the agent's frames, hides what the kernel said after /init).
PVM_KLOG=0
pvm_klog() {
  local i=0; PVM_KLOG=$((PVM_KLOG + 1))
  echo "klog$PVM_KLOG" > "$PVM_TTY"
  while ! grep -qE "@@PVM KLOG $PVM_KLOG([^0-9]|\$)" $PVM_LOG; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "the guest did not print its kernel log"; return 1; }
    sleep 0.3
  done
}
