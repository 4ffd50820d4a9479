#!/usr/bin/env python3
"""Records what the real Prometheus 2.42 does with each case in relabel-cases.yml.

Usage: tests/Vigil.Model.Tests/Relabel/record-relabel-golden.py   (needs /usr/bin/prometheus, python3-yaml)

Each case becomes one scrape job with one static target. After the case's relabel_configs the probe rules
copy every label to a `zz_` name (so labels starting with `__`, which Prometheus removes after relabeling, stay
visible), keep only those copies, and set fixed __address__, __scheme__, __metrics_path__, __scrape_interval__ and
__scrape_timeout__ so the target is valid whatever the case did. /api/v1/targets then gives
the input (discoveredLabels: the target's labels plus job, __scheme__, __metrics_path__, __scrape_interval__,
__scrape_timeout__ as Prometheus adds them before relabeling) and the output (the zz_ labels, prefix removed),
or the target is among droppedTargets. Writes relabel-golden.json next to this script.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = [
    {"regex": "(.+)", "replacement": "zz_$1", "action": "labelmap"},
    {"regex": "zz_.*", "action": "labelkeep"},
    {"target_label": "__address__", "replacement": "golden.invalid:1"},
    {"target_label": "__scheme__", "replacement": "http"},
    {"target_label": "__metrics_path__", "replacement": "/metrics"},
    {"target_label": "__scrape_interval__", "replacement": "1h"},
    {"target_label": "__scrape_timeout__", "replacement": "10s"},
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    with open(os.path.join(HERE, "relabel-cases.yml"), encoding="utf-8") as f:
        cases = yaml.safe_load(f)
    jobs = []
    for i, case in enumerate(cases):
        jobs.append({
            "job_name": case["name"],
            "scrape_interval": "1h",
            "scrape_timeout": "10s",
            "static_configs": [{"targets": [f"target{i}.invalid:1"], "labels": case.get("labels") or {}}],
            "relabel_configs": case["relabel_configs"] + PROBE,
        })
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "prometheus.yml")
        with open(config, "w", encoding="utf-8") as f:
            json.dump({"scrape_configs": jobs}, f)  # JSON is YAML
        proc = subprocess.Popen(
            ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={tmp}/data",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            data = wait_for_targets(port, len(cases), proc)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    by_job = {}
    for t in data["activeTargets"]:
        labels = {k[3:]: v for k, v in t["labels"].items() if k.startswith("zz_")}
        by_job[t["discoveredLabels"]["job"]] = (t["discoveredLabels"], labels)
    for t in data["droppedTargets"]:
        by_job[t["discoveredLabels"]["job"]] = (t["discoveredLabels"], None)
    out = []
    for i, case in enumerate(cases):
        discovered, result = by_job[case["name"]]
        # The input as Prometheus builds it before relabeling. discoveredLabels normally shows exactly this, but
        # 2.42 sometimes shows the relabeled set there instead (relabel.Process reuses the input's memory).
        expected_input = {"__address__": f"target{i}.invalid:1", "__metrics_path__": "/metrics", "__scheme__": "http",
                          "__scrape_interval__": "1h", "__scrape_timeout__": "10s", "job": case["name"]}
        expected_input.update(case.get("labels") or {})
        if discovered != expected_input:
            print(f"note: {case['name']}: discoveredLabels shows {discovered}", file=sys.stderr)
        out.append({
            "name": case["name"],
            "relabel_configs": case["relabel_configs"],
            "input": dict(sorted(expected_input.items())),
            "output": None if result is None else dict(sorted(result.items())),
        })
    with open(os.path.join(HERE, "relabel-golden.json"), "w", encoding="utf-8") as f:
        json.dump({"recorded_with": "prometheus 2.42.0+ds (Debian bookworm)", "cases": out}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"recorded {len(out)} cases")


def wait_for_targets(port, count, proc):
    url = f"http://127.0.0.1:{port}/api/v1/targets?state=any"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("prometheus exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                data = json.load(r)["data"]
            if len(data["activeTargets"]) + len(data["droppedTargets"]) >= count:
                return data
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("timed out waiting for targets")


if __name__ == "__main__":
    main()
