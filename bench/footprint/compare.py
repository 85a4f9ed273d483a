"""Compares two footprint.sh outputs: median after / median before per service and metric.

usage: python3 bench/footprint/compare.py before-32f8d2b.txt after-XXXX.txt [threshold=1.15]
Reads the "raw" lines (warm-up rounds, named w1..., are left out); flags ratios above the threshold.
"""

import statistics
import sys

COLUMNS = ["start_ms", "rss_mb", "heap_mb", "cpu_s", "quarkus_s", "anon_mb", "file_mb",
           "meta_mb", "classes", "threads"]
SHOWN = ["start_ms", "rss_mb", "heap_mb", "cpu_s", "meta_mb", "classes"]


def medians(path):
    samples = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3 + len(COLUMNS) or parts[0] != "raw" or parts[1].startswith("w"):
                continue
            samples.setdefault(parts[2], []).append([float(x) for x in parts[3:]])
    return {item: {c: statistics.median(r[i] for r in rows) for i, c in enumerate(COLUMNS)}
            for item, rows in samples.items()}


def main():
    before, after = medians(sys.argv[1]), medians(sys.argv[2])
    threshold = float(sys.argv[3]) if len(sys.argv) > 3 else 1.15
    print(f"after / before, medians ({sys.argv[2]} / {sys.argv[1]}); * = above {threshold}")
    print(f"  {'':22}" + "".join(f"{c:>11}" for c in SHOWN))
    order = ["trigger-service", "sync-monitor-service", "transform-service", "notifier-service",
             "console-service", "reference:bare-app", "reference:sandbox"]
    for item in sorted(before, key=lambda i: order.index(i) if i in order else len(order)):
        if item not in after:
            continue
        cells = []
        for c in SHOWN:
            r = after[item][c] / before[item][c] if before[item][c] else float("nan")
            cells.append(f"{r:.2f}{'*' if r > threshold else ' '}")
        print(f"  {item:22}" + "".join(f"{x:>11}" for x in cells))


if __name__ == "__main__":
    main()
