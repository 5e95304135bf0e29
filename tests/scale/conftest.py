"""Scale tests start databases and several servers and take minutes: they run only when
asked for (`make test-scale`, i.e. `pytest -m scale tests/scale`), not in `make test`."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "scale" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="scale test: run with make test-scale")
    for item in items:
        if "scale" in item.keywords:
            item.add_marker(skip)
