"""Loading a trained model without doing the same work twice (components/model_loading.py)
gives Rasa exactly what its own loaders give."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.graph_components.providers.domain_provider import DomainProvider
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.core.domain import Domain

from components import model_loading

ROOT = Path(__file__).resolve().parents[2]
SPACY = ROOT / "build" / "spacy_en"


def _same_domain(ours: Domain, rasas: Domain) -> None:
    assert ours.as_dict() == rasas.as_dict()
    assert ours.fingerprint() == rasas.fingerprint()
    assert ours.action_names_or_texts == rasas.action_names_or_texts
    assert ours.intent_properties == rasas.intent_properties
    assert [s.name for s in ours.slots] == [s.name for s in rasas.slots]
    assert ours.responses == rasas.responses


@pytest.fixture
def model_storage(tmp_path):
    """A model's domain folder as training writes it: the project's domain, persisted by Rasa."""
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    resource = Resource("domain_provider")
    with storage.write_to(resource) as directory:
        Domain.load(str(ROOT / "domain.yml")).persist(Path(directory) / "domain.yml")
    return storage, resource


def test_the_models_domain_read_once_is_the_domain_rasa_reads(model_storage):
    storage, resource = model_storage
    context = ExecutionContext(GraphSchema({}), "test")
    rasas = model_loading._rasa_load_domain(DomainProvider, {}, storage, resource, context)
    model_loading.install()
    provider = DomainProvider.load({}, storage, resource, context)
    assert isinstance(provider, DomainProvider)
    _same_domain(provider.provide_inference(), rasas.provide_inference())
    responses = provider.provide_inference().responses
    assert len(responses) > 20
    # Every language's variants of a response are there (as conditions on the language slot).
    assert len(responses["utter_greet"]) >= 7


def test_a_domain_folder_with_other_files_goes_through_rasas_loader(tmp_path):
    (tmp_path / "domain.yml").write_text((ROOT / "domain.yml").read_text(encoding="utf-8"))
    (tmp_path / "more.yml").write_text("intents:\n  - extra_intent\n")
    assert model_loading.model_domain(tmp_path) is None
    assert model_loading.model_domain(tmp_path / "nowhere") is None


def test_a_broken_domain_still_fails(tmp_path):
    (tmp_path / "domain.yml").write_text("intents: [greet\n")
    from ruamel.yaml import YAMLError

    with pytest.raises(YAMLError):
        model_loading.model_domain(tmp_path)


@pytest.mark.skipif(not SPACY.exists(), reason="make setup builds build/spacy_en")
def test_both_spacy_nodes_share_one_pipeline_that_reads_as_rasas_does():
    import spacy

    model_loading.install()
    config = {**SpacyNLP.get_default_config(), "model": str(SPACY)}
    provider = SpacyNLP.create(config, None, None, None)
    runner = SpacyNLP.create(config, None, None, None)
    assert provider.provide() is runner.provide(), "loaded once"
    text = "My baby's nappies ran out and we're struggling"
    fresh = spacy.load(str(SPACY), disable=["parser"])
    assert [(t.text, t.lemma_) for t in provider.provide().model(text)] == [
        (t.text, t.lemma_) for t in fresh(text)
    ]


def test_a_changed_spacy_folder_is_loaded_again(tmp_path, monkeypatch):
    loads = []
    monkeypatch.setattr(model_loading, "_rasa_load_spacy", lambda name: loads.append(name) or name)
    monkeypatch.setattr(model_loading, "_pipelines", {})
    folder = tmp_path / "pipeline"
    folder.mkdir()
    meta = folder / "meta.json"
    meta.write_text("{}")
    model_loading.load_spacy_once(str(folder))
    model_loading.load_spacy_once(str(folder))
    assert len(loads) == 1
    import os

    os.utime(meta, ns=(meta.stat().st_mtime_ns + 10**9, meta.stat().st_mtime_ns + 10**9))
    model_loading.load_spacy_once(str(folder))
    assert len(loads) == 2
