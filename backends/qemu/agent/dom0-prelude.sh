#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /proc/xen; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
dmesg -n 4
