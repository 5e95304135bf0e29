"""The performance harness runs and writes its report. Timings are never asserted here."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.directory_bench import synthetic_raw, to_yaml
from bench.report import SECTIONS
from bot.directory import parse_directory

ROOT = Path(__file__).resolve().parents[2]
TARGETS = (
    "Cold start",
    "Per-turn p95, one at a time",
    "Throughput at 10 concurrent",
    "Training time",
    "Server RSS after load",
    "Directory search p95 at 100k",
    "Directory load + validation at 100k",
)


def test_the_synthetic_directory_is_valid_and_its_yaml_reads_back_the_same():
    raw = synthetic_raw(300)
    directory = parse_directory(raw)  # every generated service passes every check
    assert len(directory.services) == 300
    assert yaml.safe_load(to_yaml(raw)) == raw


@pytest.mark.e2e
def test_quick_mode_writes_the_report_and_the_figure(tmp_path):
    # --no-baseline: the same minute whether or not a trained baseline is cached.
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--no-baseline", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = (tmp_path / "results.md").read_text()
    for section in SECTIONS:
        assert section in report, section
    targets = report.split("## Targets")[1].split("\n## ")[0]
    for target in TARGETS:
        assert target in targets, target
    assert "| ours | 1 |" in report and "| ours | 10 |" in report and "| ours | 50 |" in report
    assert "| ours | rasa |" in report and "| ours | actions |" in report
    assert "| Step | Seconds |" in report and "Agent.load" in report  # the cold-start breakdown ran
    figure = (tmp_path / "results.png").read_bytes()
    assert figure.startswith(b"\x89PNG") and len(figure) > 10_000
    assert (tmp_path / "results.json").exists()


def test_a_new_report_keeps_the_sections_other_commands_measured():
    from bench import report

    earlier = (
        "# Performance\n\n## Targets\n\nold targets\n\n"
        "## Per message, after languages\n\nNLU p95 17 ms\n\n## Memory\n\nold memory\n"
    )
    kept = report.kept_sections(earlier)
    assert "## Per message, after languages" in kept and "NLU p95 17 ms" in kept
    assert "old targets" not in kept and "old memory" not in kept
    assert report.kept_sections("# Performance\n\n## Targets\n\nx\n") == ""


def test_only_the_load_before_the_run_makes_it_noisy():
    from bench.report import noisy

    # A quiet machine that the bench itself loaded is not a noisy run; a busy one is.
    assert not noisy({"load_before": (0.14, 0.2, 0.3), "load_after": (1.22, 1.0, 0.8), "cpus": 2})
    assert noisy({"load_before": (1.6, 1.2, 1.0), "load_after": (1.8, 1.0, 0.8), "cpus": 2})
