# udev's part for hot-added devices: load the driver the kernel's uevent names (MODALIAS
# xen:vbd, xen:vif); a kernel that sends no such uevent gets no driver, as without udev rules.
# busybox uevent listens on netlink (Debian's kernel has no CONFIG_UEVENT_HELPER).
printf '%s\n' '#!/bin/sh' '[ "$ACTION" = add ] && [ -n "$MODALIAS" ] && exec modprobe -q "$MODALIAS"' 'exit 0' > /sbin/pvm-hotplug
chmod 755 /sbin/pvm-hotplug; uevent /sbin/pvm-hotplug < /dev/null > /dev/null 2>&1 &
read pvm_t _ < /sys/hypervisor/guest_type 2>/dev/null
echo "@@PVM READY $(uname -r) guest_type=$pvm_t"
while read -r pvm_cmd; do
  case "$pvm_cmd" in *"$CR") pvm_cmd=${pvm_cmd%?};; esac
  case "$pvm_cmd" in
    '') ;;
    q) poweroff -f ;;
    klog*) echo "@@PVM KLOG BEGIN"; dmesg; echo "@@PVM KLOG ${pvm_cmd#klog}" ;;
    *) if command -v "g_$pvm_cmd" > /dev/null; then "g_$pvm_cmd"; else echo "@@PVM STEP ${pvm_cmd%_*} ${pvm_cmd#*_} error 0"; fi ;;
  esac
done
poweroff -f
