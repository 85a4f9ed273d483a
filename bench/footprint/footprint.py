"""Measures each service (and the reference) alone, in interleaved rounds; run by footprint.sh.

Per start: wall time from the process' start to the first 200 of its readiness URL (polled every
50 ms), the process' CPU time at that moment, Quarkus' own "started in", then after IDLE_SECONDS of
idle: VmRSS (and its anon/file parts) and threads from /proc/<pid>/status, then `jcmd GC.run` and
`jstat -gc` (heap used = S0U+S1U+EU+OU, metaspace = MU) and `jstat -class` (classes loaded).
"""

import base64
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone

ENV = os.environ
TREE = ENV["FP_TREE"]
DATA = ENV["FP_DATA"]
RUN_ID = ENV["FP_RUN_ID"]
ROUNDS = int(ENV.get("ROUNDS", "5"))
WARMUP = int(ENV.get("WARMUP", "1"))
IDLE = float(ENV.get("IDLE_SECONDS", "20"))
COOLDOWN = float(ENV.get("COOLDOWN_SECONDS", "3"))
XMX = ENV.get("SERVICE_XMX", "256m")
EXTRA = ENV.get("JAVA_OPTS_EXTRA", "").split()
SERVICES = [
    "trigger-service",
    "sync-monitor-service",
    "transform-service",
    "notifier-service",
    "console-service",
]
if ENV.get("ONLY"):
    SERVICES = [s for s in SERVICES if s in ENV["ONLY"].split()]
# The reference the ratios are to: bench/reference-app, a bare Quarkus app (REST, messaging-kafka,
# Agroal + PostgreSQL, health; no Hibernate), ready on /q/health/ready like the services. The
# Airbyte sandbox (Vert.x, no Quarkus) stays as a second line, the reference of the older runs.
REFERENCE = "reference:bare-app"
SANDBOX = "reference:sandbox"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def infra_props():
    props = {}
    with open(ENV["FP_INFRA_PROPS"], encoding="utf-8") as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.rstrip("\n").split("=", 1)
                props[k] = v.replace("\\:", ":").replace("\\=", "=")
    return props


PROPS = infra_props()
TOKEN = secrets.token_hex(24)
CONSOLE_SERVICE_TOKEN = secrets.token_hex(24)
CONSOLE_SIGNIN_TOKEN = secrets.token_hex(24)
WAREHOUSE_URL = PROPS["warehouse.jdbc.url"]
WAREHOUSE_PORT = re.search(r":(\d+)/", WAREHOUSE_URL).group(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(name, port):
    """The command line and environment ./tributary dev --no-demo uses, on a free HTTP port."""
    env = {k: v for k, v in ENV.items() if not k.startswith("FP_")}
    java = ["java", f"-Xmx{XMX}", f"-Dtributary.footprint={RUN_ID}", *EXTRA]
    if name == REFERENCE:
        env.update(
            KAFKA_BOOTSTRAP_SERVERS=ENV["FP_KAFKA"],
            # No database of its own in infra.properties: its one table goes to the warehouse.
            QUARKUS_DATASOURCE_JDBC_URL=WAREHOUSE_URL,
            QUARKUS_DATASOURCE_USERNAME=PROPS["warehouse.jdbc.username"],
            QUARKUS_DATASOURCE_PASSWORD=PROPS["warehouse.jdbc.password"],
            QUARKUS_HTTP_PORT=str(port),
            REFERENCE_SECRET="whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
        )
        args = java + ["-jar", ENV["FP_REF_JAR"]]
        return args, env, f"http://127.0.0.1:{port}/q/health/ready"
    if name == SANDBOX:
        args = java + [
            "-jar", ENV["FP_SANDBOX_JAR"], f"--port={port}", "--host=127.0.0.1",
            "--auth=client-credentials", "--client-id=sandbox-client",
            "--client-secret=sandbox-secret",
            f"--jdbc-url={WAREHOUSE_URL}",
            f"--jdbc-user={PROPS['warehouse.jdbc.username']}",
            f"--jdbc-password={PROPS['warehouse.jdbc.password']}",
            f"--webhook-url=http://127.0.0.1:1/airbyte/notifications/{ENV['FP_HINT_SECRET']}",
        ]
        return args, env, f"http://127.0.0.1:{port}/api/public/v1/health"
    env.update(
        KAFKA_BOOTSTRAP_SERVERS=ENV["FP_KAFKA"],
        QUARKUS_DATASOURCE_JDBC_URL=PROPS[f"{name}.jdbc.url"],
        QUARKUS_DATASOURCE_USERNAME=PROPS[f"{name}.jdbc.username"],
        QUARKUS_DATASOURCE_PASSWORD=PROPS[f"{name}.jdbc.password"],
        QUARKUS_LOG_CONSOLE_JSON_ENABLED="false",
        QUARKUS_HTTP_PORT=str(port),
    )
    if name == "console-service":
        env.update(
            QUARKUS_HTTP_HOST="127.0.0.1",
            TRIBUTARY_API_TOKENS_LOCAL_TOKEN=CONSOLE_SIGNIN_TOKEN,
            TRIBUTARY_API_TOKENS_LOCAL_SCOPE="write",
            # Nothing listens there: the console calls them only when a page asks.
            TRIBUTARY_CONSOLE_TRIGGER_URL="http://127.0.0.1:1",
            TRIBUTARY_CONSOLE_MONITOR_URL="http://127.0.0.1:1",
            TRIBUTARY_CONSOLE_TRANSFORM_URL="http://127.0.0.1:1",
            TRIBUTARY_CONSOLE_NOTIFIER_URL="http://127.0.0.1:1",
            TRIBUTARY_CONSOLE_SERVICE_TOKEN=CONSOLE_SERVICE_TOKEN,
        )
    else:
        env.update(
            TRIBUTARY_API_TOKENS_LOCAL_TOKEN=TOKEN,
            TRIBUTARY_API_TOKENS_LOCAL_SCOPE="write",
            TRIBUTARY_API_TOKENS_CONSOLE_TOKEN=CONSOLE_SERVICE_TOKEN,
            TRIBUTARY_API_TOKENS_CONSOLE_SCOPE="write",
            TRIBUTARY_MONITOR_AIRBYTE_BASE_URL=ENV["FP_AIRBYTE_URL"],
            TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID="sandbox-client",
            TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET="sandbox-secret",
            TRIBUTARY_MONITOR_NOTIFICATION_SECRET=ENV["FP_HINT_SECRET"],
            TRIBUTARY_TRANSFORM_DBT_EXECUTABLE=f"{TREE}/deploy/dbt/.venv/bin/dbt",
            TRIBUTARY_TRANSFORM_PROJECTS_ROOT=f"{TREE}/deploy/dbt",
            TRIBUTARY_TRANSFORM_RUNS_DIRECTORY=f"{DATA}/dbt-runs",
            TRIBUTARY_TRANSFORM_PASS_ENV="WAREHOUSE_HOST,WAREHOUSE_PORT,WAREHOUSE_DB,"
            "WAREHOUSE_USER,WAREHOUSE_PASSWORD,WAREHOUSE_SCHEMA",
            WAREHOUSE_HOST="127.0.0.1",
            WAREHOUSE_PORT=WAREHOUSE_PORT,
            WAREHOUSE_DB="warehouse",
            WAREHOUSE_USER=PROPS["warehouse.jdbc.username"],
            WAREHOUSE_PASSWORD=PROPS["warehouse.jdbc.password"],
            WAREHOUSE_SCHEMA="analytics",
        )
    args = java + ["-jar", f"{DATA}/apps/{name}/quarkus-run.jar"]
    return args, env, f"http://127.0.0.1:{port}/q/health/ready"


def ready(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except Exception:  # noqa: BLE001 - refused, 503, timeout: not ready yet
        return False


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            k, v = line.split(":", 1)
            if v.split():
                out[k] = v.split()[0]
    return out


def jstat(option, pid):
    lines = subprocess.run(
        ["jstat", option, str(pid)], capture_output=True, text=True, timeout=30, check=True
    ).stdout.split("\n")
    return dict(zip(lines[0].split(), (float(x.replace(",", ".")) for x in lines[1].split())))


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(name, log_path):
    port = free_port()
    args, env, url = command(name, port)
    with open(log_path, "w", encoding="utf-8") as log:
        t0 = time.monotonic()
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=DATA)
    try:
        while not ready(url):
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}): see {log_path}")
            if time.monotonic() - t0 > 300:
                raise RuntimeError(f"{name} not ready after 300 s: see {log_path}")
            time.sleep(0.05)
        start_ms = (time.monotonic() - t0) * 1000
        cpu = cpu_seconds(proc.pid)
        time.sleep(IDLE)
        st = status(proc.pid)
        subprocess.run(["jcmd", str(proc.pid), "GC.run"], capture_output=True, timeout=60,
                       check=True)
        gc = jstat("-gc", proc.pid)
        classes = jstat("-class", proc.pid)
        with open(log_path, encoding="utf-8", errors="replace") as f:
            m = re.search(r"started in ([0-9.]+)s", f.read())
        return {
            "start_ms": start_ms,
            "rss_mb": int(st["VmRSS"]) / 1024,
            "heap_mb": (gc["S0U"] + gc["S1U"] + gc["EU"] + gc["OU"]) / 1024,
            "cpu_s": cpu,
            "quarkus_s": float(m.group(1)) if m else float("nan"),
            "anon_mb": int(st["RssAnon"]) / 1024,
            "file_mb": int(st["RssFile"]) / 1024,
            "meta_mb": gc["MU"] / 1024,
            "classes": classes["Loaded"],
            "threads": int(st["Threads"]),
        }
    finally:
        stop(proc)


MAIN = [("start_ms", "start→ready ms", "{:.0f}"), ("rss_mb", "idle RSS MB", "{:.1f}"),
        ("heap_mb", "heap after GC MB", "{:.1f}")]
MORE = [("cpu_s", "CPU s to ready", "{:.2f}"), ("quarkus_s", "Quarkus 'started in' s", "{:.2f}"),
        ("anon_mb", "RSS anon MB", "{:.1f}"), ("file_mb", "RSS file MB", "{:.1f}"),
        ("meta_mb", "metaspace used MB", "{:.1f}"), ("classes", "classes loaded", "{:.0f}"),
        ("threads", "threads", "{:.0f}")]


def main():
    items = SERVICES + [REFERENCE] + ([SANDBOX] if ENV.get("SANDBOX_REFERENCE", "1") == "1" else [])
    results = {name: [] for name in items}
    load0 = os.getloadavg()
    print(f"# Tributary footprint: tree {TREE} @ {ENV['FP_TREE_REV']}"
          f"{' (+' + ENV['FP_TREE_DIRTY'] + ' modified files)' if ENV['FP_TREE_DIRTY'] != '0' else ''}")
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"{ROUNDS} rounds (+{WARMUP} warm-up discarded), idle {IDLE:.0f} s, -Xmx{XMX} "
          f"{' '.join(EXTRA)}; load average at start {load0[0]:.2f}")
    print(f"# {subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}")
    print("# raw: round item start_ms rss_mb heap_mb cpu_s quarkus_s anon_mb file_mb meta_mb "
          "classes threads")
    for r in range(WARMUP + ROUNDS):
        order = items[r % len(items):] + items[: r % len(items)]
        label = f"w{r + 1}" if r < WARMUP else str(r - WARMUP + 1)
        for name in order:
            log_path = f"{DATA}/logs/{name.replace(':', '-')}-{label}.log"
            m = measure(name, log_path)
            print("raw " + label + " " + name + " "
                  + " ".join(f"{m[k]:.2f}" for k, _, _ in MAIN + MORE), flush=True)
            if r >= WARMUP:
                results[name].append(m)
            time.sleep(COOLDOWN)
    load1 = os.getloadavg()
    print(f"# load average at end {load1[0]:.2f}")
    print()

    med = {name: {k: statistics.median(m[k] for m in results[name]) for k, _, _ in MAIN + MORE}
           for name in items}
    ref = med[REFERENCE]
    header = f"  {'':24}{'min':>9}{'median':>9}{'max':>9}{'× bare':>8}"
    for name in items:
        ms = results[name]
        print({REFERENCE: f"{name}  (the reference: bench/reference-app, a bare Quarkus app; "
                          f"{len(ms)} runs)",
               SANDBOX: f"{name}  (the Airbyte sandbox runner jar, Vert.x, no Quarkus; "
                        f"{len(ms)} runs)"}.get(name, f"{name}  ({len(ms)} runs)"))
        print(header)
        for i, (k, title, fmt) in enumerate(MAIN + MORE):
            if i == len(MAIN):
                print("  " + "-" * 57)
            vals = [m[k] for m in ms]
            ratio = med[name][k] / ref[k] if ref[k] and ref[k] == ref[k] else float("nan")
            cells = "".join(f"{fmt.format(v):>9}" for v in (min(vals), med[name][k], max(vals)))
            print(f"  {title:24}{cells}{(f'{ratio:.2f}' if ratio == ratio else '-'):>8}")
        print()
    print("Medians, and ratios to the bare app's")
    print(f"  {'':22}{'start ms':>9}{'×':>6}{'CPU s':>8}{'×':>6}{'RSS MB':>9}{'×':>6}"
          f"{'heap MB':>9}{'meta MB':>9}{'classes':>9}")
    for name in items:
        m = med[name]
        print(f"  {name:22}{m['start_ms']:9.0f}{m['start_ms'] / ref['start_ms']:6.2f}"
              f"{m['cpu_s']:8.2f}{m['cpu_s'] / ref['cpu_s']:6.2f}"
              f"{m['rss_mb']:9.1f}{m['rss_mb'] / ref['rss_mb']:6.2f}"
              f"{m['heap_mb']:9.1f}{m['meta_mb']:9.1f}{m['classes']:9.0f}")
    summary(med)


def summary(med):
    """Tab-separated SUMMARY lines (figure, Tributary, reference, ratio, goal) for bench/run.sh."""
    print()
    short = {s: s.replace("-service", "") for s in SERVICES}
    for key, figure, unit, fmt, goal in [
            ("rss_mb", "idle RSS per service", "MB", "{:.0f}", "≤ 1.25×"),
            ("start_ms", "start to ready per service (wall)", "s", "{:.1f}", "≤ 1.5×"),
            ("cpu_s", "start to ready per service (CPU)", "CPU s", "{:.1f}", "-")]:
        scale = 1000 if key == "start_ms" else 1
        vals = {s: med[s][key] / scale for s in SERVICES}
        ratios = [med[s][key] / med[REFERENCE][key] for s in SERVICES]
        worst = max(SERVICES, key=lambda s: med[s][key])
        print("\t".join([
            "SUMMARY", f"footprint: {figure}, {unit}",
            f"{fmt.format(min(vals.values()))}–{fmt.format(max(vals.values()))}"
            f" (max {short[worst]})",
            f"bare app {fmt.format(med[REFERENCE][key] / scale)}"
            + (f", sandbox {fmt.format(med[SANDBOX][key] / scale)}" if SANDBOX in med else ""),
            f"{min(ratios):.2f}–{max(ratios):.2f}×", goal]))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        print(f"footprint: {e}", file=sys.stderr)
        sys.exit(1)
