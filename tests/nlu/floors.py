"""A held-out set's floor for one figure: the target, or the measured figure in its meta.yml
where the set showed the target is not met (then the test warns that the target is missed)."""

import warnings


def floor(set_name: str, floors: dict, what: str, name: str, target: float) -> float:
    """The bar for `name` on one set: `floors[name]` when meta.yml has one, else `target`."""
    measured = floors.get(name)
    if measured is None:
        return target
    warnings.warn(
        f"{set_name}: {what} target not met ({name}: floor {measured}, target {target:g})",
        stacklevel=3,
    )
    return measured
