"""Lists the processes of a running ./tributary dev stack with their memory or CPU time.

usage: procs.py rss SID PGDATA     one line per process (VmRSS, PSS, what it is), then totals
       procs.py cpu SID PGDATA     CPU seconds (user + system) of the whole stack so far

The stack is every process of ./tributary's session (it is started with setsid: the JVMs, dbt
while it runs) plus PostgreSQL, which daemonizes into a session of its own: its postmaster (the
first line of PGDATA/postmaster.pid) and the postmaster's children.
"""

import os
import sys

CLK_TCK = os.sysconf("SC_CLK_TCK")
# What ./tributary runs for a moment (its readiness polls), not part of the stack.
TOOLS = {"sleep", "ps", "curl", "grep", "cat", "sh", "python3", "find", "head", "date"}


def stat(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        comm_end = (text := f.read()).rindex(")")
    fields = text[comm_end + 2:].split()
    return {"comm": text[text.index("(") + 1:comm_end], "ppid": int(fields[1]),
            "sid": int(fields[3]), "cpu": (int(fields[11]) + int(fields[12])) / CLK_TCK}


def stack_pids(sid, pgdata):
    pids, postmaster = [], None
    try:
        with open(os.path.join(pgdata, "postmaster.pid"), encoding="ascii") as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        pass
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            st = stat(pid)
        except (OSError, ValueError):
            continue
        if st["sid"] == sid and st["comm"] not in TOOLS or pid == postmaster or (
                postmaster and st["ppid"] == postmaster):
            pids.append(pid)
    return sorted(pids)


def cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]


def what(pid):
    args = cmdline(pid)
    line = " ".join(args)
    if not args:
        return "?"
    if args[0].startswith("postgres:"):
        return "postgres: " + line[len("postgres:"):].strip()
    if os.path.basename(args[0]) == "postgres":
        return "postgres (postmaster)"
    if "io.tributary.local.LocalStack" in args:
        return "infra JVM (Kafka, runs PostgreSQL, pipeline log)"
    if "io.tributary.local.PipelineLog" in args:
        return "pipeline log + demo receiver"
    if os.path.basename(args[0]) == "tail":
        return "tail (the pipeline log on the terminal)"
    for a in args:
        if a.endswith("quarkus-app/quarkus-run.jar"):
            return a.split("/target/")[0].rsplit("/", 1)[-1]
        if "airbyte-sandbox" in a and a.endswith(".jar"):
            return "Airbyte sandbox"
    if "tributary" in line and "bash" in os.path.basename(args[0]):
        return "./tributary (bash)"
    return line[:60]


def memory(pid):
    out = {"VmRSS": 0, "Pss": 0}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["VmRSS"] = int(line.split()[1])
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    out["Pss"] = int(line.split()[1])
    except OSError:
        pass
    return out


def rss(sid, pgdata):
    rows = []
    for pid in stack_pids(sid, pgdata):
        try:
            rows.append((what(pid), pid, memory(pid)))
        except OSError:
            continue  # ended meanwhile
    rows.sort(key=lambda r: (r[0].startswith("postgres"), -r[2]["VmRSS"]))
    print(f"  {'process':58} {'pid':>7} {'RSS MB':>8} {'PSS MB':>8}")
    groups = {}
    for name, pid, m in rows:
        print(f"  {name[:58]:58} {pid:7d} {m['VmRSS'] / 1024:8.1f} {m['Pss'] / 1024:8.1f}")
        group = "PostgreSQL" if name.startswith("postgres") else "JVMs and the rest"
        g = groups.setdefault(group, [0, 0, 0])
        g[0] += 1
        g[1] += m["VmRSS"]
        g[2] += m["Pss"]
    for group, (n, r, p) in groups.items():
        print(f"  {group + f' ({n} processes)':58} {'':7} {r / 1024:8.1f} {p / 1024:8.1f}")
    total_rss = sum(m["VmRSS"] for _, _, m in rows) / 1024
    total_pss = sum(m["Pss"] for _, _, m in rows) / 1024
    print(f"  {f'total ({len(rows)} processes)':58} {'':7} {total_rss:8.1f} {total_pss:8.1f}")
    print(f"TOTAL_RSS_MB={total_rss:.0f} TOTAL_PSS_MB={total_pss:.0f}")


def cpu(sid, pgdata):
    total = 0.0
    for pid in stack_pids(sid, pgdata):
        try:
            total += stat(pid)["cpu"]
        except (OSError, ValueError):
            continue
    print(f"{total:.1f}")


if __name__ == "__main__":
    {"rss": rss, "cpu": cpu}[sys.argv[1]](int(sys.argv[2]), sys.argv[3])
