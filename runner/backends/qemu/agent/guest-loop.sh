read pvm_t _ < /sys/hypervisor/guest_type 2>/dev/null
echo "@@PVM READY $(uname -r) guest_type=$pvm_t"
while read -r pvm_cmd; do
  case "$pvm_cmd" in *"$CR") pvm_cmd=${pvm_cmd%?};; esac
  case "$pvm_cmd" in
    '') ;;
    q) poweroff -f ;;
    *) if command -v "g_$pvm_cmd" > /dev/null; then "g_$pvm_cmd"; else echo "@@PVM STEP ${pvm_cmd%_*} ${pvm_cmd#*_} error 0"; fi ;;
  esac
done
poweroff -f
