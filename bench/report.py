"""bench/results.md (targets first, then each measurement) and bench/results.png."""

from __future__ import annotations

import math
from pathlib import Path

SECTIONS = (
    "## Targets",
    "## Cold start",
    "## Per-turn latency and throughput",
    "## Where a turn's time goes (ours)",
    "## Memory",
    "## Training",
    "## Directory search and load",
    "## What our cold start is made of",
    "## How this was measured",
)


def _f(value, digits: int = 1, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}{unit}"


def _get(data, *path, default=None):
    """data[path[0]][path[1]]... (dict keys or list indexes), or `default` where that isn't there."""
    for key in path:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif (
            isinstance(data, (list, tuple))
            and isinstance(key, int)
            and -len(data) <= key < len(data)
        ):
            data = data[key]
        else:
            return default
    return data


# ------------------------------------------------------------------ targets


def targets(results: dict) -> list[dict]:
    """Each target: what, ours, baseline, ratio, goal, met (True/False/None = not measured)."""
    ours, base = results["bots"].get("ours", {}), results["bots"].get("baseline", {})
    rows = []

    def relative(what, ours_value, base_value, goal_ratio, lower_is_better, unit, digits=1):
        if ours_value is None:
            met, ratio = None, None
        elif base_value is None:
            met, ratio = None, None
        else:
            ratio = ours_value / base_value if base_value else math.inf
            met = ratio <= goal_ratio if lower_is_better else ratio >= goal_ratio
        goal = f"{'<=' if lower_is_better else '>='} {goal_ratio:g}x baseline"
        rows.append(
            {
                "what": what,
                "ours": _f(ours_value, digits, unit),
                "baseline": _f(base_value, digits, unit),
                "ratio": _f(ratio, 2, "x"),
                "goal": goal,
                "met": met,
            }
        )

    def absolute(what, value, limit, unit, digits=1, note="", base_value=None):
        met = (
            None if value is None or note else value <= limit
        )  # a note: not measured at the target's size
        rows.append(
            {
                "what": what + note,
                "ours": _f(value, digits, unit),
                "baseline": _f(base_value, digits, unit) if base_value else "",
                "ratio": _f(None if value is None else value / limit, 2, "x of limit"),
                "goal": f"<= {limit:g} {unit.strip()}",
                "met": met,
            }
        )

    relative(
        "Cold start: process start to first REST reply (median)",
        _get(ours, "cold_start", "median_s"),
        _get(base, "cold_start", "median_s"),
        0.25,
        True,
        " s",
    )
    relative(
        "Per-turn p95, one at a time",
        _get(ours, "load", "c1", "latency_ms", "p95"),
        _get(base, "load", "c1", "latency_ms", "p95"),
        0.8,
        True,
        " ms",
    )
    relative(
        "Throughput at 10 concurrent",
        _get(ours, "load", "c10", "throughput"),
        _get(base, "load", "c10", "throughput"),
        2.5,
        False,
        " turns/s",
    )
    relative(
        "Per-turn p95, 50 at once",
        _get(ours, "load", "c50", "latency_ms", "p95"),
        _get(base, "load", "c50", "latency_ms", "p95"),
        0.5,
        True,
        " ms",
    )
    training = results.get("training", {})
    absolute(
        "Training time (`rasa train --force`, cold cache)",
        _get(training, "ours", "seconds"),
        120,
        " s",
        base_value=_get(training, "baseline", "seconds"),
    )
    relative(
        "Server RSS after load: Rasa process",
        _get(ours, "memory", "rasa", "rss"),
        _get(base, "memory", "rasa", "rss"),
        1.0,
        True,
        " MB",
        0,
    )
    ours_total = None
    if _get(ours, "memory", "rasa", "rss") is not None:
        ours_total = _get(ours, "memory", "rasa", "tree") + (
            _get(ours, "memory", "actions", "tree") or 0
        )
    relative(
        "Server RSS after load: Rasa + our action server",
        ours_total,
        _get(base, "memory", "rasa", "tree"),
        1.0,
        True,
        " MB",
        0,
    )
    ours_pss = None
    if _get(ours, "memory", "rasa", "tree_pss") is not None:
        ours_pss = _get(ours, "memory", "rasa", "tree_pss") + (
            _get(ours, "memory", "actions", "tree_pss") or 0
        )
    absolute(
        "Rasa with its workers after load, shared pages counted once (PSS; issue 14's budget)",
        _get(ours, "memory", "rasa", "tree_pss"),
        1500,
        " MB",
        0,
    )
    relative(
        "Server memory after load, shared pages counted once (PSS): Rasa + our action server",
        ours_pss,
        _get(base, "memory", "rasa", "tree_pss"),
        1.0,
        True,
        " MB",
        0,
    )
    directory = results.get("directory") or []
    largest = max(directory, key=lambda r: r["size"]) if directory else None
    note = (
        ""
        if largest is None or largest["size"] >= 100_000
        else f" (only {largest['size']:,} measured)"
    )
    absolute(
        "Directory search p95 at 100k, the chat's search (first page)",
        _get(largest or {}, "search_page", "p95"),
        1,
        " ms",
        3,
        note,
    )
    absolute(
        "Directory search p95 at 100k, full list one page (mentor view, CLI)",
        _get(largest or {}, "search_mentor_page", "p95"),
        1,
        " ms",
        3,
        note,
    )
    absolute(
        "Directory load + validation at 100k, first time (YAML parse)",
        _get(largest or {}, "load_s"),
        30,
        " s",
        2,
        note,
    )
    absolute(
        "Directory load + validation at 100k, restart (parsed copy, bot/directory_cache.py)",
        _get(largest or {}, "load_cached_s"),
        2,
        " s",
        2,
        note,
    )
    absolute(
        "Action server RSS with the directory at 100k",
        _get(largest or {}, "actions_rss_mb"),
        500,
        " MB",
        0,
        note,
    )
    return rows


# ------------------------------------------------------------------ markdown


def kept_sections(earlier: str) -> str:
    """The sections of an earlier results.md that other commands measured (headings not in
    SECTIONS, e.g. "## Per message, after languages" from bench.nlu_profile), to keep."""
    kept: list[str] = []
    keeping = False
    for line in earlier.splitlines():
        if line.startswith("## "):
            keeping = line.strip() not in SECTIONS
        if keeping:
            kept.append(line)
    return "\n" + "\n".join(kept).strip() + "\n" if kept else ""


def noisy(meta: dict) -> bool:
    """Other work was using the machine: the load average before the run above half the CPUs.
    Only the load before counts: the bench's own servers and clients raise it during the run."""
    return meta["load_before"][0] > 0.5 * meta["cpus"]


def markdown(results: dict) -> str:
    meta = results["meta"]
    bots = results["bots"]
    names = [n for n in ("ours", "baseline") if n in bots]
    out = ["# Performance: ours against the `rasa init` baseline", ""]
    out += [
        f"Run {meta['started']} ({meta['mode']} mode, {meta['duration_s']:.0f} s), commit `{meta['commit']}`, "
        f"Rasa {meta['rasa']}, Python {meta['python']}, {meta['cpus']} CPUs. Load average before "
        f"{meta['load_before'][0]:.2f}, after {meta['load_after'][0]:.2f}.",
        "",
    ]
    if noisy(meta):
        out += [
            "> **Noisy run**: other work was using this machine (load average before the run above "
            "half the CPUs), so "
            "absolute timings are inflated and ratios less certain. Re-run on a quiet machine for figures to quote.",
            "",
        ]
    if "baseline" not in bots:
        out += [f"> **No baseline in this run**: {results.get('baseline_skipped', 'skipped')}.", ""]
    out += ["Command: `" + meta["command"] + "`", ""]

    out += [
        "## Targets",
        "",
        "| Target | Ours | Baseline | Ratio | Goal | Met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in targets(results):
        met = {True: "met", False: "**not met**", None: "not measured"}[row["met"]]
        out.append(
            f"| {row['what']} | {row['ours']} | {row['baseline']} | {row['ratio']} | {row['goal']} | {met} |"
        )
    out += [
        "",
        "Timings are reported, never asserted: tests check only that this report is produced.",
        "",
    ]

    out += [
        "## Cold start",
        "",
        f'Process start to the first successful REST reply to "hello", {meta["starts"]} start(s) each, '
        "ours and the baseline alternating. Ours starts the action server and Rasa together; "
        '"through the action server" is the first reply to "I need a food bank in Bradford".',
        "",
        "| Bot | Median (s) | Each start (s) | Action server ready (s) | First reply through the action server (s) |",
        "|---|---:|---|---:|---:|",
    ]
    for name in names:
        cold = bots[name].get("cold_start", {})
        each = ", ".join(_f(s, 1) for s in cold.get("each_s", []))
        out.append(
            f"| {name} | {_f(cold.get('median_s'))} | {each} | {_f(cold.get('actions_ready_median_s'))} | "
            f"{_f(cold.get('first_action_reply_median_s'))} |"
        )
    out += [""]

    out += [
        "## Per-turn latency and throughput",
        "",
        "aiohttp client; each simulated parent is a new sender going through a whole conversation. Ours: "
        'a need with an area, "more", a second need reusing the area, a place name, greetings and thanks '
        "(most turns call the action server). Baseline: its own greet / mood / bot-challenge / goodbye turns.",
        "",
        "| Bot | Concurrent | Turns | Errors | p50 (ms) | p95 (ms) | p99 (ms) | Throughput (turns/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        for run in bots[name].get("load", {}).values():
            lat = run["latency_ms"]
            errors = f"{run['errors']}" + (
                f" ({', '.join(run['error_kinds'])})" if run["errors"] else ""
            )
            out.append(
                f"| {name} | {run['concurrency']} | {run['turns']} | {errors} | {_f(lat['p50'])} | {_f(lat['p95'])} | "
                f"{_f(lat['p99'])} | {_f(run['throughput'])} |"
            )
    action_rows = [
        (run["concurrency"], run)
        for run in bots.get("ours", {}).get("load", {}).values()
        if "action_latency_ms" in run
    ]
    if action_rows:
        out += [
            "",
            "Ours, split by whether the turn went through the action server (p50 / p95 ms):",
            "",
            "| Concurrent | Through the action server | Rasa only |",
            "|---:|---|---|",
        ]
        for concurrency, run in action_rows:
            a, o = run["action_latency_ms"], run["other_latency_ms"]
            out.append(
                f"| {concurrency} | {_f(a['p50'])} / {_f(a['p95'])} (n={a['n']}) | {_f(o['p50'])} / {_f(o['p95'])} (n={o['n']}) |"
            )
    out += [""]

    prof = _get(bots, "ours", "profile") or {"skipped": "not asked for (--profile)"}
    out += ["## Where a turn's time goes (ours)", ""]
    if prof.get("processes"):
        out += [
            f"py-spy sampling ({prof['rate']} a second) of both processes during {prof['turns']} more turns one at a time, "
            "after the measured runs; busy time only (waiting is not counted), so the parts add up to less than the latency.",
            "",
            "| Process | Part | Busy ms per turn | Share |",
            "|---|---|---:|---:|",
        ]
        for process, data in prof["processes"].items():
            for label, ms, share in data["parts"]:
                out.append(f"| {process} | {label} | {_f(ms, 1)} | {share:.0%} |")
            out.append(f"| {process} | **all** | **{_f(data['busy_ms_per_turn'], 1)}** | |")
        for process, data in prof["processes"].items():
            if data.get("other_top"):
                out += [
                    "",
                    f'{process}, "other" by where it starts (ms per turn): '
                    + "; ".join(f"`{frame}` {_f(ms, 1)}" for frame, ms in data["other_top"]),
                ]
        out += [""]
    else:
        out += [f"Not measured: {prof['skipped']}.", ""]

    out += [
        "## Memory",
        "",
        "Read from /proc/<pid>/status after the load test: VmRSS now, VmHWM (peak), and the RSS "
        "of the process with its children. Rasa's workers are forked from its main process and "
        "share the pages it loaded, which each one's RSS counts again; the last column is the "
        "PSS of the process with its children (/proc/<pid>/smaps_rollup), each page counted once.",
        "",
        "| Bot | Process | RSS after start (MB) | RSS after load (MB) | Peak (MB) | With children (MB) | With children, PSS (MB) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        for process, mem in bots[name].get("memory", {}).items():
            start = _get(bots[name], "memory_after_start", process, "rss")
            out.append(
                f"| {name} | {process} | {_f(start, 0)} | {_f(mem['rss'], 0)} | {_f(mem['peak'], 0)} | {_f(mem['tree'], 0)} | "
                f"{_f(mem.get('tree_pss'), 0)} |"
            )
    out += [""]

    training = results.get("training", {})
    out += [
        "## Training",
        "",
        "`rasa train --force` into a temporary directory with an empty cache of its own "
        "(RASA_CACHE_DIRECTORY), so nothing is reused.",
        "",
        "| Bot | Seconds | Measured in this run | Note |",
        "|---|---:|---|---|",
    ]
    for name in ("ours", "baseline"):
        t = training.get(name)
        if not t:
            continue
        if t.get("skipped"):
            out.append(f"| {name} | - | no | {t['skipped']} |")
            continue
        note = (
            ""
            if t.get("measured_now")
            else (
                f"cached model from {t.get('trained_at')} (load average then {_f(_get(t, 'load_average_at_training', 0), 2)}); "
                "`--retrain-baseline` measures it again"
            )
        )
        out.append(
            f"| {name} | {_f(t.get('seconds'))} | {'yes' if t.get('measured_now') else 'no'} | {note} |"
        )
    out += [""]

    directory = results.get("directory") or []
    out += [
        "## Directory search and load",
        "",
        f"A synthetic directory with the real needs and areas and generated services (bench/directory_bench.py), "
        f"{meta['queries']} queries each (every need; every area or none; times spread over a week). "
        "The chat's search asks for one page and one more (`limit`, as bot/conversation.py does); the full list "
        f"is what the mentor view and `python -m bot find` get. Load = YAML file -> `load_directory` "
        f"(YAML parse with {results.get('yaml_loader', '?')}, every check, the search index); "
        "validation = `parse_directory` alone on the parsed data.",
        "",
        "| Services | Chat search p50 / p95 / p99 (ms) | Full list p50 / p95 / p99 (ms) | Results per query (full) | "
        "YAML (MB) | Load + validation (s) | Again, from the parsed copy (s) | Validation only (s) |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in directory:
        p, s = row["search_page"], row["search"]
        out.append(
            f"| {row['size']:,} | {_f(p['p50'], 3)} / {_f(p['p95'], 3)} / {_f(p['p99'], 3)} | "
            f"{_f(s['p50'], 3)} / {_f(s['p95'], 3)} / {_f(s['p99'], 3)} | {_f(row['mean_results'], 0)} | "
            f"{_f(row['yaml_mb'], 1)} | {_f(row['load_s'], 2)} | {_f(row.get('load_cached_s'), 2)} | "
            f"{_f(row['validate_s'], 2)} |"
        )
    out += [""]

    breakdown = results.get("coldstart_breakdown") or {}
    out += ["## What our cold start is made of", ""]
    if breakdown.get("phases"):
        total = sum(breakdown["phases"].values())
        out += [
            "Rasa's start-up steps run one by one in a fresh interpreter (`python -m bench.coldstart`), in Rasa's order:",
            "",
            "| Step | Seconds | Share of these steps |",
            "|---|---:|---:|",
        ]
        for step, seconds in breakdown["phases"].items():
            out.append(f"| {step} | {_f(seconds, 2)} | {seconds / total:.0%} |")
        out += [f"| sum | {_f(total, 2)} | |", ""]
        biggest = sorted(breakdown["phases"].items(), key=lambda item: -item[1])[:2]
        out += [
            "Largest: "
            + " and ".join(f"{step} ({_f(seconds, 1)} s)" for step, seconds in biggest)
            + ".",
            "",
        ]
        first = results.get("coldstart_skops_first") or {}
        scan = [v for k, v in breakdown["phases"].items() if k.startswith("import skops")]
        early = [v for k, v in first.get("phases", {}).items() if k.startswith("import skops")]
        if scan and early:
            out += [
                f"skops 0.9 checks its trusted types by scanning every module in sys.modules, so the later it is "
                f"imported the longer it takes: {_f(scan[0], 2)} s where Rasa's loader imports it, {_f(early[0], 2)} s "
                f"when imported before TensorFlow and Rasa (same run, `--skops-first`; the sum of all steps then: "
                f"{_f(sum(first['phases'].values()), 2)} s).",
                "",
            ]
        out += [
            f"Modules loaded before the model: {breakdown.get('modules_before_model', '?'):,}; after: "
            f"{breakdown.get('modules_after', '?'):,}. The rest of the cold start (median "
            f"{_f(_get(bots, 'ours', 'cold_start', 'median_s'))} s) is the interpreter and the `rasa` command line, "
            "Sanic and the tracker store starting, and polling.",
            "",
        ]
    else:
        out += [f"Not measured: {breakdown.get('skipped', 'skipped')}.", ""]
    out += results.get("notes", [])

    out += [
        "## How this was measured",
        "",
        "```sh",
        "make bench                      # full run: this file and results.png",
        ".venv/bin/python -m bench --quick    # about a minute: tiny sizes, one start, no training",
        ".venv/bin/python -m bench --help",
        "```",
        "",
        "Ours runs as `make run` runs it (bot/tools/servers.py: action server, Rasa with our REST channel and SQLite "
        "store, no HTTP API). The baseline is `rasa init --no-prompt`'s bot, trained once per Rasa version and cached "
        "in build/bench-baseline/, run with `rasa run` and its own credentials.yml (REST), in-memory tracker store, "
        "no action server. Both run on the same machine one after the other, never at the same time.",
        "",
    ]
    return "\n".join(out)


# ------------------------------------------------------------------ figure


def figure(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bots = results["bots"]
    names = [n for n in ("ours", "baseline") if n in bots]
    colours = {"ours": "#1b7837", "baseline": "#762a83"}
    fig, axes = plt.subplots(2, 3, figsize=(15, 8.5))
    fig.suptitle(
        f"Ours vs rasa init baseline - {results['meta']['started']} ({results['meta']['mode']})",
        fontsize=12,
    )

    ax = axes[0][0]
    for i, name in enumerate(names):
        each = _get(bots[name], "cold_start", "each_s", default=[])
        ax.bar(
            i, _get(bots[name], "cold_start", "median_s", default=0), color=colours[name], alpha=0.8
        )
        ax.scatter([i] * len(each), each, color="black", s=12, zorder=3)
    ax.set_xticks(range(len(names)), names)
    ax.set_title("Cold start to first REST reply (s)")

    levels = sorted(
        {run["concurrency"] for name in names for run in bots[name].get("load", {}).values()}
    )
    width = 0.8 / max(len(names), 1)
    for ax, (title, getter) in zip(
        (axes[0][1], axes[0][2]),
        (
            (
                "Per-turn p50 (bar) and p95 (tick), ms",
                lambda r: (r["latency_ms"]["p50"], r["latency_ms"]["p95"]),
            ),
            ("Throughput (turns/s)", lambda r: (r["throughput"], None)),
        ),
        strict=True,
    ):
        for i, name in enumerate(names):
            runs = {run["concurrency"]: run for run in bots[name].get("load", {}).values()}
            xs = [j + i * width for j, level in enumerate(levels) if level in runs]
            values = [getter(runs[level]) for level in levels if level in runs]
            ax.bar(xs, [v[0] for v in values], width, color=colours[name], alpha=0.8, label=name)
            ticks = [(x, v[1]) for x, v in zip(xs, values, strict=True) if v[1] is not None]
            if ticks:
                ax.scatter(
                    [t[0] for t in ticks],
                    [t[1] for t in ticks],
                    marker="_",
                    s=300,
                    color="black",
                    zorder=3,
                )
        ax.set_xticks(
            [j + width * (len(names) - 1) / 2 for j in range(len(levels))],
            [f"{c} concurrent" for c in levels],
        )
        ax.set_title(title)
        if "ms" in title:
            ax.set_yscale("log")
        ax.legend()

    ax = axes[1][0]
    labels, values, cols = [], [], []
    for name in names:
        for process, mem in bots[name].get("memory", {}).items():
            labels.append(f"{name}\n{process}")
            values.append(mem["rss"])
            cols.append(colours[name])
    ax.bar(range(len(values)), values, color=cols, alpha=0.8)
    ax.set_xticks(range(len(values)), labels)
    ax.set_title("RSS after the load test (MB)")

    directory = results.get("directory") or []
    ax = axes[1][1]
    if directory:
        sizes = [r["size"] for r in directory]
        ax.plot(sizes, [r["search"]["p95"] for r in directory], "o-", label="full list p95")
        ax.plot(
            sizes, [r["search_page"]["p95"] for r in directory], "s-", label="chat (first page) p95"
        )
        ax.axhline(1.0, color="grey", linestyle="--", linewidth=1, label="target 1 ms")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.legend()
    ax.set_title("Directory search per query (ms)")
    ax.set_xlabel("services")

    ax = axes[1][2]
    if directory:
        ax.plot(sizes, [r["load_s"] for r in directory], "o-", label="load + validation")
        if all("load_cached_s" in r for r in directory):
            ax.plot(
                sizes, [r["load_cached_s"] for r in directory], "^-", label="restart (parsed copy)"
            )
        ax.plot(sizes, [r["validate_s"] for r in directory], "s-", label="validation only")
        ax.axhline(5.0, color="grey", linestyle="--", linewidth=1, label="target 5 s (100k)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.legend()
    ax.set_title("Directory load (s)")
    ax.set_xlabel("services")

    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
