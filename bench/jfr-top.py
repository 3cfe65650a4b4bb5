#!/usr/bin/env python3
"""Top CPU frames (jdk.ExecutionSample) and allocation sites (jdk.ObjectAllocationSample) of a JFR recording.

    python3 bench/jfr-top.py server.jfr [N]

CPU: share of samples by top frame, and by the first io.estuary frame on the stack ("self" vs "caller").
Allocation: sampled weight (an estimate of bytes allocated) by object class and by the first io.estuary frame.
"""
import collections
import json
import subprocess
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 15


def events(name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    m = frame["method"]
    return f'{m["type"]["name"]}.{m["name"]}'


def first_estuary(frames):
    for f in frames:
        n = frame_name(f)
        if n.startswith("io.estuary."):
            return n
    return "(no io.estuary frame)"


def report(title, counter, total, unit):
    print(f"\n{title} (total {total:,.0f} {unit})")
    for key, value in counter.most_common(top):
        print(f"  {100.0 * value / total:5.1f}%  {key}")


samples = events("jdk.ExecutionSample")
by_top, by_estuary, by_thread_state = collections.Counter(), collections.Counter(), collections.Counter()
for e in samples:
    frames = (e["values"].get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    by_top[frame_name(frames[0])] += 1
    by_estuary[first_estuary(frames)] += 1
    # group: Netty/JDK I/O vs Estuary vs the rest
    names = [frame_name(f) for f in frames]
    if any("writev" in n or "sendmsg" in n or "writeAddress" in n or "Native.write" in n for n in names[:4]):
        by_thread_state["socket write (native)"] += 1
    elif any("epollWait" in n or "epoll" in n.lower() for n in names[:3]):
        by_thread_state["epoll"] += 1
    elif any(n.startswith("io.estuary.") for n in names[:3]):
        by_thread_state["io.estuary code (top 3 frames)"] += 1
    elif any(n.startswith("io.netty.") for n in names[:3]):
        by_thread_state["io.netty code (top 3 frames)"] += 1
    else:
        by_thread_state["other"] += 1
n = sum(by_top.values())
report("CPU samples by top frame", by_top, n, "samples")
report("CPU samples by first io.estuary frame", by_estuary, n, "samples")
report("CPU samples by kind", by_thread_state, n, "samples")

allocs = events("jdk.ObjectAllocationSample")
by_class, by_site, by_top_alloc = collections.Counter(), collections.Counter(), collections.Counter()
for e in allocs:
    v = e["values"]
    w = v.get("weight", 0)
    cls = (v.get("objectClass") or {}).get("name", "?")
    frames = (v.get("stackTrace") or {}).get("frames") or []
    by_class[cls] += w
    by_site[first_estuary(frames)] += w
    by_top_alloc[(frame_name(frames[0]) if frames else "?") + "  [" + cls + "]"] += w
w = sum(by_class.values())
report("Allocation (sampled weight) by class", by_class, w, "bytes")
report("Allocation by first io.estuary frame", by_site, w, "bytes")
report("Allocation by top frame", by_top_alloc, w, "bytes")
