"""Read the project's YAML data files with libyaml's loader when PyYAML has it.

`yaml.CSafeLoader` gives the same Python values as `yaml.safe_load` (the same constructor;
only the scanner and parser are C) and reads about 20x faster. The words files are read
when Rasa loads the model and on a worker's first message, so this is part of every start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The C loader when PyYAML was built with libyaml; the pure-Python one otherwise.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The file's YAML, as `yaml.safe_load` reads it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506 (a safe loader)
