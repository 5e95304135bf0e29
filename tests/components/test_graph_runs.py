"""Graph runs without dask's scheduler: the same nodes, in dask's order, with the same outputs."""

from __future__ import annotations

from typing import Any

import dask
import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from components import graph_runs

CALLS: list[str] = []


class Step(GraphComponent):
    """Joins what it is given, noting each call."""

    def __init__(self, config: dict) -> None:
        self.name = config["name"]

    @classmethod
    def create(cls, config: dict, model_storage, resource, execution_context) -> Step:
        return cls(config)

    def run(self, **given: Any) -> str:
        CALLS.append(self.name)
        if given.get("x") == "boom":
            raise RuntimeError("a node failed")
        return f"{self.name}(" + ",".join(f"{k}={given[k]}" for k in sorted(given)) + ")"


def node(name: str, **needs: str) -> SchemaNode:
    return SchemaNode(needs, Step, "create", "run", {"name": name}, eager=True)


SCHEMA = GraphSchema(
    {
        "a": node("a", x="__message__"),
        "b": node("b", x="a"),
        "c": node("c", x="a", y="__tracker__"),
        "d": node("d", left="b", right="c"),
        "e": node("e", x="a"),  # not needed by the targets below: never run
        "f": node("f", x="no_such_node"),  # a need nothing provides: the run fails
    }
)


def runner(tmp_path) -> DaskGraphRunner:
    return DaskGraphRunner(SCHEMA, LocalModelStorage(tmp_path), ExecutionContext(SCHEMA, "m"))


def by_dask(tmp_path, inputs, targets):
    CALLS.clear()
    result = graph_runs._original_run(runner(tmp_path), inputs, targets)
    return result, list(CALLS)


@pytest.fixture
def kept(tmp_path, monkeypatch):
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runs._run)  # undone after each test
    return runner(tmp_path)


def test_install_puts_the_kept_order_in_place(monkeypatch):
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runs._original_run)
    graph_runs.install()
    assert DaskGraphRunner.run is graph_runs._run


@pytest.mark.parametrize("targets", [["d"], ["c"], ["b", "d"], ["d", "a"]])
def test_the_same_outputs_and_order_as_dask_on_every_run(kept, tmp_path, targets):
    for i in range(4):
        inputs = {"__message__": f"m{i}", "__tracker__": f"t{i}"}
        expected, dask_order = by_dask(tmp_path / str(i), inputs, targets)
        CALLS.clear()
        assert kept.run(inputs, targets) == expected
        assert CALLS == dask_order
    assert "e" not in dask_order


def test_later_runs_do_not_use_dask(kept, monkeypatch):
    inputs = {"__message__": "m", "__tracker__": "t"}
    first = kept.run(inputs, ["d"])

    def no_dask(*_a, **_k):
        raise AssertionError("dask was used")

    monkeypatch.setattr(dask, "get", no_dask)
    assert kept.run(inputs, ["d"]) == first
    with pytest.raises(AssertionError, match="dask was used"):  # new targets: dask, once
        kept.run(inputs, ["c"])


@pytest.mark.parametrize(
    "inputs, targets, error",
    [
        ({"__message__": "boom", "__tracker__": "t"}, ["b"], GraphComponentException),
        ({"__message__": "m", "__tracker__": "t"}, ["f"], GraphRunError),
    ],
)
def test_a_failing_run_fails_as_with_dask(kept, tmp_path, inputs, targets, error):
    with pytest.raises(error):
        graph_runs._original_run(runner(tmp_path), inputs, targets)
    with pytest.raises(error):  # the first run, through dask
        kept.run(inputs, targets)
    kept.run({"__message__": "m", "__tracker__": "t"}, ["b"])
    if targets == ["b"]:
        with pytest.raises(error):  # a later run, without dask
            kept.run(inputs, targets)


def test_an_input_named_like_a_node_is_refused_as_rasa_refuses_it(kept):
    kept.run({"__message__": "m", "__tracker__": "t"}, ["b"])
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        kept.run({"__message__": "a", "__tracker__": "t"}, ["b"])
