"""SUMMARY lines for bench/run.sh from one sync-monitor-service/bench/burst.sh output.

usage: python3 bench/burst_summary.py N burst-output.txt

burst.sh belongs to the sync-monitor work and prints no SUMMARY lines (yet): this reads its closing
lines (starts, calls while every job was in flight, detection lag, heap, stalls) and prints
tab-separated "SUMMARY figure tributary reference ratio goal" rows. A line it does not recognise is
left out; when none is recognised, the output's last line is the row.
"""

import re
import sys


def rows(n, text):
    figure = f"sync-monitor burst, N={n}"
    m = re.search(r"^starts: (\d+) started in ([\d.]+) s after the burst: (\d+)/s overall, (\d+)/s "
                  r"in the best 10 s window; reference \(sandbox alone, \d+ threads\): (\d+) POST "
                  r"/jobs/s; ratio overall/reference (\S+)", text, re.M)
    if m:
        yield (f"{figure}: starts", f"{m[1]} in {m[2]} s: {m[3]}/s (best 10 s: {m[4]}/s)",
               f"sandbox alone {m[5]} POST /jobs/s", m[6], "≥ 200/s unthrottled")
    else:
        m = re.search(r"^all \d+ started: (\d+) s.*", text, re.M)  # the older closing line
        if m:
            yield (f"{figure}: starts", m[0], "-", f"{n / max(1, int(m[1])):.0f}/s",
                   "≥ 200/s unthrottled")
    m = re.search(r"^calls per minute while all \d+ jobs were in flight \((\d+) s\): (\{.*\})",
                  text, re.M)
    if m:
        total = sum(int(v) for v in re.findall(r"=(\d+)", m[2]))
        yield (f"{figure}: Airbyte calls/min, every job in flight", f"{total} {m[2]}", "-", "-",
               "listing + small budget, not growing with N")
    m = re.search(r"^detection lag[^:]*: (p50 [^;]*);", text, re.M)
    if m:
        yield f"{figure}: detection lag, job end → Kafka", m[1], "-", "-", "p99 ≤ 1 s with hints"
    heap = re.search(r"^monitor heap used: max (\d+) MB", text, re.M)
    stalls = re.search(r"^stalls: 10 s windows without an Airbyte call while work waited: ([^;]*)",
                       text, re.M)
    if heap or stalls:
        yield (f"{figure}: heap max, stalls",
               f"{heap[1] + ' MB' if heap else '-'}; stalls: {stalls[1] if stalls else '-'}",
               "-", "-", "≤ 256 MB at N=10,000; no stall")


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    found = list(rows(n, text))
    if not found:
        last = [line for line in text.splitlines() if line.strip()][-1:] or ["no output"]
        found = [(f"sync-monitor burst, N={n}", last[0], "-", "-", "≥ 200 starts/s, no stall")]
    for row in found:
        print("\t".join(("SUMMARY",) + tuple(row)))


if __name__ == "__main__":
    main()
