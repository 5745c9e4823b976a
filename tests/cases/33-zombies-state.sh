#!/usr/bin/env bash
# 33-zombies-state: the parent cannot reap because it is stopped (T), traced
# (t) or in uninterruptible sleep (D, a vfork), or because it is the init of
# a pid namespace that never reaps (a container without an init).
. "$TESTS/lib.sh"
. "$TESTS/zombie_lib.sh"

zombie_case stopped parent-stopped T
zombie_case traced parent-traced t
zombie_case dsleep parent-uninterruptible D
zombie_case pidns pidns-init S
