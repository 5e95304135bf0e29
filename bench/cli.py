"""python -m bench: measure ours and the `rasa init` baseline side by side, write the report.

Full run (`make bench`): baseline from its cache (trained once per Rasa version), our
training timed, 3 cold starts each (alternating), 200 turns one at a time and 500 at 10 and
50 concurrent, memory, directory search and load at 100 / 10,000 / 100,000 services, and a
step-by-step look at our cold start. `--quick`: about a minute, for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench import directory_bench, load, profile, report, servers
from bench.stats import median

BENCH_DIR = Path(__file__).resolve().parent
LAST_RUN = servers.ROOT / "build" / "bench-last.json"  # the raw figures of the last `make bench`


def _ints(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI mode: 100 services, 20 turns, 1 start, no training, "
        "baseline only if already cached",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH_DIR,
        help="where results.md and results.png go (default: bench/)",
    )
    parser.add_argument("--starts", type=int, help="cold starts per bot (default 3; quick 1)")
    parser.add_argument("--turns", type=int, help="turns one at a time (default 200; quick 20)")
    parser.add_argument(
        "--concurrent-turns", type=int, help="turns per concurrency level (default 500; quick 60)"
    )
    parser.add_argument(
        "--concurrency", type=_ints, default=[10, 50], help="concurrency levels (default 10,50)"
    )
    parser.add_argument(
        "--sizes", type=_ints, help="directory sizes (default 100,10000,100000; quick 100)"
    )
    parser.add_argument(
        "--queries", type=int, help="search queries per size (default 2000; quick 200)"
    )
    parser.add_argument(
        "--workers", type=int, help="Rasa workers for ours (default: as `make run`, 2 on 2+ cores)"
    )
    parser.add_argument(
        "--retrain-baseline", action="store_true", help="train the baseline again even if cached"
    )
    parser.add_argument("--no-baseline", action="store_true", help="measure ours only")
    parser.add_argument("--no-train", action="store_true", help="don't time our training")
    parser.add_argument(
        "--no-servers", action="store_true", help="directory only: no Rasa, no training"
    )
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="an extra run of ours with py-spy attached: where a turn's time goes (default: on, not in quick mode; "
        "needs `pip install py-spy`)",
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        help="only write the report again from a saved run (build/bench-last.json)",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.starts = args.starts or (1 if quick else 3)
    args.turns = args.turns or (20 if quick else 200)
    args.concurrent_turns = args.concurrent_turns or (60 if quick else 500)
    args.sizes = args.sizes or ([100] if quick else [100, 10_000, 100_000])
    args.queries = args.queries or (200 if quick else 2000)
    args.profile = (not quick) if args.profile is None else args.profile
    return args


class Log:
    def __init__(self):
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        print(f"[bench {time.monotonic() - self.start:6.0f}s] {message}", flush=True)


def _commit() -> str:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=servers.ROOT, capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "bot",
        "actions",
        "components",
        "config.yml",
        "domain.yml",
        "data",
        "bench",
    )
    return commit + ("+local changes" if dirty else "")


def measure_bot(spec, args, log, bots: dict, scripts: list, keep: bool) -> None:
    """One cold start of `spec`; on the last one, the load test and memory too."""
    entry = bots.setdefault(
        spec.name, {"cold_start": {"each_s": [], "actions_ready_s": [], "first_action_reply_s": []}}
    )
    with tempfile.TemporaryDirectory(prefix=f"bench-{spec.name}-") as tmp:
        running = servers.start_and_time(spec, Path(tmp))
        try:
            timings = running.timings
            cold = entry["cold_start"]
            cold["each_s"].append(timings["first_reply_s"])
            for key in ("actions_ready_s", "first_action_reply_s"):
                if key in timings:
                    cold[key].append(timings[key])
            log(
                f"{spec.name}: first reply {timings['first_reply_s']:.1f} s after start"
                + (
                    f" (action server ready {timings['actions_ready_s']:.1f} s, first signposting reply "
                    f"{timings.get('first_action_reply_s', float('nan')):.1f} s)"
                    if "actions_ready_s" in timings
                    else ""
                )
            )
            if not keep:
                return
            pids = {name: running.pid(name) for name in ("rasa", "actions") if running.pid(name)}
            entry["memory_after_start"] = {
                name: servers.memory_mb(pid) for name, pid in pids.items()
            }
            load.warm_up(running.url, scripts)
            entry["load"] = {}
            for concurrency, turns in [(1, args.turns)] + [
                (c, args.concurrent_turns) for c in args.concurrency
            ]:
                result = load.run(running.url, scripts, concurrency, turns)
                entry["load"][f"c{concurrency}"] = result
                lat = result["latency_ms"]
                log(
                    f"{spec.name}: {concurrency:>2} concurrent, {result['turns']} turns: p50 {lat['p50']:.0f} ms, "
                    f"p95 {lat['p95']:.0f} ms, p99 {lat['p99']:.0f} ms, {result['throughput']:.1f} turns/s, {result['errors']} errors"
                )
            entry["memory"] = {name: servers.memory_mb(pid) for name, pid in pids.items()}
            log(
                f"{spec.name}: RSS after load "
                + ", ".join(f"{n} {m['rss']:.0f} MB" for n, m in entry["memory"].items())
            )
            if args.profile and spec.name == "ours":
                log(
                    f"{spec.name}: {args.turns} more turns one at a time with py-spy attached (not in the figures above)..."
                )
                entry["profile"] = profile.profile(
                    pids, lambda: load.run(running.url, scripts, 1, args.turns), args.turns
                )
        finally:
            running.stop()


def _model_flags() -> list[str]:
    """bench.coldstart's flags for our config.yml: skops (Rasa's LogisticRegressionClassifier),
    spaCy, and the shared models when Rasa runs several workers."""
    pipeline = (yaml.safe_load((servers.ROOT / "config.yml").read_text()) or {}).get(
        "pipeline"
    ) or []
    flags = (
        ["--skops"]
        if any(c.get("name") == "LogisticRegressionClassifier" for c in pipeline)
        else []
    )
    for component in pipeline:
        if component.get("name") == "SpacyNLP" and component.get("model"):
            flags += ["--spacy", str(component["model"])]
    if servers.Ours().workers > 1:  # Rasa's main process loads the shared models first
        flags.append("--preload")
    return flags


def coldstart_breakdown(log, *extra: str) -> dict:
    flags = _model_flags() + list(extra)
    log(f"our cold start, step by step (python -m bench.coldstart {' '.join(flags)})...")
    result = subprocess.run(
        [sys.executable, "-m", "bench.coldstart", str(servers.MODEL), *flags],
        cwd=servers.ROOT,
        env=servers.ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        return {"skipped": f"bench.coldstart failed ({result.returncode}): {result.stderr[-500:]}"}
    return json.loads(lines[-1])


def run(args: argparse.Namespace, log: Log) -> dict:
    results: dict = {"bots": {}, "training": {}, "directory": []}
    meta = results["meta"] = {
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "mode": "quick" if args.quick else "full",
        "command": "python -m bench " + shlex.join(sys.argv[1:])
        if sys.argv[1:]
        else "python -m bench",
        "commit": _commit(),
        "rasa": servers.rasa_version(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "starts": args.starts,
        "queries": args.queries,
    }
    if not args.no_servers:
        if not servers.ours_available():
            raise SystemExit(
                f"No trained model at {servers.MODEL}: run `make train` (or `make bench`)."
            )
        baseline = None
        if args.no_baseline:
            results["baseline_skipped"] = "--no-baseline"
        else:
            baseline, info = servers.baseline(
                args.retrain_baseline, allow_train=not args.quick, log=log
            )
            if baseline is None:
                results["baseline_skipped"] = info["skipped"]
                results["training"]["baseline"] = {"skipped": info["skipped"]}
            else:
                results["training"]["baseline"] = {**info, "seconds": info["train_s"]}
        if args.quick or args.no_train:
            results["training"]["ours"] = {"skipped": "--quick" if args.quick else "--no-train"}
        else:
            results["training"]["ours"] = servers.train_ours(log)
        specs = [(servers.Ours(args.workers), load.OURS)] + (
            [(baseline, load.BASELINE)] if baseline else []
        )
        for start in range(args.starts):
            for spec, scripts in specs:
                measure_bot(
                    spec, args, log, results["bots"], scripts, keep=start == args.starts - 1
                )
        for entry in results["bots"].values():
            cold = entry["cold_start"]
            cold["median_s"] = median(cold["each_s"])
            cold["actions_ready_median_s"] = (
                median(cold["actions_ready_s"]) if cold["actions_ready_s"] else None
            )
            cold["first_action_reply_median_s"] = (
                median(cold["first_action_reply_s"]) if cold["first_action_reply_s"] else None
            )
        results["coldstart_breakdown"] = coldstart_breakdown(log)
        if not args.quick and "--skops" in _model_flags():
            results["coldstart_skops_first"] = coldstart_breakdown(log, "--skops-first")
    else:
        results["coldstart_breakdown"] = {"skipped": "--no-servers"}
    results["yaml_loader"] = directory_bench.yaml_loader_name()
    results["directory"] = directory_bench.run(args.sizes, args.queries, log=log)
    meta["load_after"] = os.getloadavg()
    meta["duration_s"] = time.monotonic() - log.start
    return results


def write(results: dict, out: Path, log) -> None:
    out.mkdir(parents=True, exist_ok=True)
    target = out / "results.md"
    earlier = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(report.markdown(results) + report.kept_sections(earlier), encoding="utf-8")
    report.figure(results, out / "results.png")
    log(f"wrote {out / 'results.md'} and {out / 'results.png'}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log = Log()
    if args.from_json:
        write(json.loads(args.from_json.read_text()), args.out, log)
        return 0
    results = run(args, log)
    # The raw figures, to compare runs or write the report again (--from-json).
    raw = LAST_RUN if args.out.resolve() == BENCH_DIR else args.out / "results.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(results, indent=1, default=str))
    write(results, args.out, log)
    for row in report.targets(results):
        met = {True: "met", False: "NOT MET", None: "not measured"}[row["met"]]
        log(
            f"{met:>12}  {row['what']}: ours {row['ours']}, baseline {row['baseline'] or '-'}, {row['ratio']} ({row['goal']})"
        )
    return 0
