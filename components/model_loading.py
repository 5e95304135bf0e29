"""Load a trained model without doing the same work twice: part of every Rasa start.

Two steps of Rasa 3.6's model load repeat work whose result they already have:

- The spaCy pipeline is loaded twice. The predict graph has two SpacyNLP nodes (one
  provides the pipeline, one runs it on messages) and Rasa's `create` loads the pipeline for
  each, though the running node only ever uses the one it is given. Here `load_model`
  remembers the pipeline it loaded for each folder (while the folder's meta.json is
  unchanged), so the second node gets the same one: about 0.3 s.
- The model's domain is read four times and checked against Rasa's schema. `Domain.from_path`
  parses the file to see it is a domain, parses it again (line-numbered) to check the schema
  and builds a whole Domain to throw away, then parses it once more for the Domain it keeps:
  about 1 s. The domain inside a trained model is the one Rasa wrote at training, from a
  domain it had already checked, so here it is parsed once and built once, the same way
  `Domain.from_directory` builds the one it keeps. A model whose domain folder holds anything
  other than that one file goes through Rasa's own path.

A model can also be loaded once in Rasa's main process before it forks its workers
(`load_before_fork`, from components/shared_models.py): each worker's `MessageProcessor` then
takes that graph instead of loading the model again, while the model file is unchanged.

Installed by components/channels.py (`from_credentials`, which `rasa run` calls before the
model loads, in the main process before the workers fork) and by the benches that load the
model in process. Training and `rasa shell` keep Rasa's own steps; the results are the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rasa.core.processor import MessageProcessor
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.graph_components.providers.domain_provider import DomainProvider
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.core.domain import Domain
from rasa.shared.utils.io import read_file, read_yaml

MODEL_DOMAIN_FILE = "domain.yml"  # the one file Rasa writes into a model's domain folder

_rasa_load_spacy = SpacyNLP.load_model
_rasa_load_domain = DomainProvider.load.__func__  # type: ignore[attr-defined]
_rasa_load_model = MessageProcessor._load_model
_pipelines: dict[tuple[str, int | None], SpacyModel] = {}
# The model loaded before the fork: (the path Rasa was given, the file's identity) -> what
# MessageProcessor._load_model returns (file name, metadata, graph runner).
_loaded: dict[tuple[str, tuple[str, int, int] | None], Any] = {}


def _changed_at(name: str) -> int | None:
    """When the pipeline folder's meta.json last changed (None for a package name)."""
    try:
        return os.stat(Path(name) / "meta.json").st_mtime_ns
    except (OSError, TypeError, ValueError):
        return None


def load_spacy_once(spacy_model_name: str) -> SpacyModel:
    """Rasa's `SpacyNLP.load_model`, remembered per pipeline folder."""
    key = (spacy_model_name, _changed_at(spacy_model_name))
    if key not in _pipelines:
        _pipelines[key] = _rasa_load_spacy(spacy_model_name)
    return _pipelines[key]


def model_domain(directory: Path) -> Domain | None:
    """The domain Rasa wrote into a model's domain folder, parsed once; None when the folder
    holds anything else (Rasa's own loader then reads it)."""
    files = [p for p in Path(directory).rglob("*") if p.is_file()]
    if len(files) != 1 or files[0].name != MODEL_DOMAIN_FILE:
        return None
    data = read_yaml(read_file(files[0]))
    return Domain.from_dict(Domain.merge_domain_dicts(data, {}))


def load_domain_provider(
    cls: type[DomainProvider],
    config: dict[str, Any],
    model_storage: ModelStorage,
    resource: Resource,
    execution_context: ExecutionContext,
    **kwargs: Any,
) -> DomainProvider:
    """Rasa's `DomainProvider.load`, reading the model's domain once."""
    with model_storage.read_from(resource) as directory:
        domain = model_domain(directory)
    if domain is None:
        return _rasa_load_domain(cls, config, model_storage, resource, execution_context, **kwargs)
    return cls(model_storage, resource, domain)


def _model_file(model_path: str | os.PathLike) -> tuple[str, int, int] | None:
    """The model file Rasa would load for this path (its newest .tar.gz for a folder), with
    its modification time and size; None when there is none."""
    from rasa.model import get_latest_model

    path = str(model_path)
    tar = path if os.path.isfile(path) else get_latest_model(path)
    try:
        stat = os.stat(tar) if tar else None
    except OSError:
        return None
    return (os.path.abspath(tar), stat.st_mtime_ns, stat.st_size) if stat else None


def load_before_fork(model_path: str | os.PathLike) -> None:
    """Load the model's graph now, for every process forked from this one to use."""
    key = (str(model_path), _model_file(model_path))
    if key[1] is not None and key not in _loaded:
        _loaded[key] = _rasa_load_model(model_path)


def load_model(model_path: str | os.PathLike) -> Any:
    """Rasa's `MessageProcessor._load_model`, taking the graph loaded before the fork when it
    is for this same model file."""
    loaded = _loaded.get((str(model_path), _model_file(model_path))) if _loaded else None
    return loaded if loaded is not None else _rasa_load_model(model_path)


def install() -> None:
    """Use the loaders above when Rasa loads a model in this process (idempotent)."""
    SpacyNLP.load_model = staticmethod(load_spacy_once)  # type: ignore[method-assign]
    DomainProvider.load = classmethod(load_domain_provider)  # type: ignore[method-assign,assignment]
    MessageProcessor._load_model = staticmethod(load_model)  # type: ignore[method-assign]
