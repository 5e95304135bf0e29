"""Run the trained model's graphs in the order dask runs them, without dask's scheduler per run.

Each turn Rasa runs its graphs three times (understanding the message, then choosing each
next action) through `DaskGraphRunner.run`, which every time works out the nodes the targets
need, builds a dask graph, orders it and schedules each node: about 2 ms of every turn,
beside some 12 ms in the nodes themselves (bench.in_process, docs/speed-history.md).

Here the first run for each set of targets and input names goes through dask as before,
noting the order in which dask calls the nodes; later runs call the same nodes in that
order, each with the outputs of the nodes it needs, as dask passes them (a need that no node
or input provides is passed as its name, as dask does). The nodes, their inputs and their
order are the same, so the outputs are too. Installed by components/channels.py for
`rasa run`; training and `rasa test` keep dask.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

_original_run = DaskGraphRunner.run

# One step: the node's name, the node (called as dask calls it) and the names of its needs.
Step = tuple[str, Any, tuple[str, ...]]


def _run(
    self: DaskGraphRunner,
    inputs: dict[str, Any] | None = None,
    targets: list[str] | None = None,
) -> dict[str, Any]:
    run_targets = targets if targets else self._graph_schema.target_names
    key = (tuple(run_targets), tuple(inputs or ()))
    plans: dict[tuple, list[Step]] = self.__dict__.setdefault("_kept_plans", {})
    plan = plans.get(key)
    if plan is None:
        plan, result = _first_run(self, inputs, run_targets)
        plans[key] = plan
        return result
    if inputs and any(isinstance(value, str) for value in inputs.values()):
        DaskGraphRunner._add_inputs_to_graph(inputs, {name: None for name, _, _ in plan})
    results: dict[str, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
    try:
        for name, node, needs in plan:
            results[name] = node(*[results.get(need, need) for need in needs])
        return dict(results[target] for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error


def _first_run(
    self: DaskGraphRunner, inputs: dict[str, Any] | None, run_targets: list[str]
) -> tuple[list[Step], dict[str, Any]]:
    """Rasa's own run, with each node noted as dask calls it."""
    called: list[str] = []
    schema = self._graph_schema.minimal_graph_schema(run_targets)
    nodes = self._instantiated_nodes
    noted = {name: _Noting(name, nodes[name], called) for name in schema.nodes}
    self._instantiated_nodes = {**nodes, **noted}
    try:
        result = _original_run(self, inputs, run_targets)
    finally:
        self._instantiated_nodes = nodes
    plan = [
        (name, nodes[name], tuple(schema.nodes[name].needs.values()))
        for name in called  # in dask's order
    ]
    return plan, result


class _Noting:
    """A graph node that notes its name when dask calls it, then runs as itself."""

    def __init__(self, name: str, node: Any, called: list[str]) -> None:
        self.name, self.node, self.called = name, node, called

    def __call__(self, *inputs: Any) -> Any:
        self.called.append(self.name)
        return self.node(*inputs)


def install() -> None:
    DaskGraphRunner.run = _run  # type: ignore[method-assign]
