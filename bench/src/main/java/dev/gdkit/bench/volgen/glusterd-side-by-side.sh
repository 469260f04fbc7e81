#!/bin/bash
# glusterd 10.3 side-by-side: create a 1,000-brick replica-2 volume on a 3-node loopback pool and
# time volume create and three volume set operations (each regenerates and rewrites every volfile).
# Needs Debian glusterfs-server and root. usage: glusterd-side-by-side.sh [BASE_DIR]; stops its glusterds by pid file.
set -u
B=${1:-/tmp/volgen-gdbench/pool}
T=/work/shared/tools/glusterd-reference
rm -rf $B; $T/cluster.sh start 3 $B
cli() { gluster --mode=script --wignore --glusterd-sock="$B/run1/glusterd.socket" "$@"; }
bricks=()
for i in $(seq 0 999); do n=$(( i % 3 + 1 )); p=$B/bricks/b$i; mkdir -p $p; bricks+=("127.1.1.$n:$p"); done
s=$(date +%s.%N); cli volume create bigdr replica 2 "${bricks[@]}" force > $B/create.out 2>&1; rc=$?; e=$(date +%s.%N)
echo "create rc=$rc seconds=$(echo "$e - $s" | bc)"; tail -1 $B/create.out
for k in 1 2 3; do
  s=$(date +%s.%N); cli volume set bigdr performance.io-thread-count $((16+k)) > /dev/null 2>&1; rc=$?; e=$(date +%s.%N)
  echo "set rc=$rc seconds=$(echo "$e - $s" | bc)"
done
ls $B/wd1/vols/bigdr/*.vol | wc -l
du -sh $B/wd1/vols/bigdr
for f in $(find $B -name '*.pid'); do p=$(cat $f 2>/dev/null); [ -n "$p" ] && kill $p 2>/dev/null; done
rm -rf "$B"
