"""With several Rasa workers the model's graph is loaded once, before Sanic forks them
(components/shared_models.py, components/model_loading.py); each worker takes that graph
instead of loading the model again, and reads messages exactly as a fresh load does."""

import json
import os
from functools import partial
from pathlib import Path

import pytest
from rasa.core.processor import MessageProcessor
from rasa.core.run import load_agent_on_start
from sanic import Sanic

from components import model_loading, shared_models
from tests.asyncio_thread import run

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "assistant.tar.gz"


def _app_as_rasa_run_makes_it(name, model, remote_storage=None):
    app = Sanic(name)
    # What rasa.core.run.serve_application registers before it starts the server.
    app.register_listener(
        partial(load_agent_on_start, model, None, remote_storage), "before_server_start"
    )
    return app


def test_the_model_path_is_the_one_rasa_run_will_load():
    assert shared_models.model_path(_app_as_rasa_run_makes_it("t1", "models/x.tar.gz")) == (
        "models/x.tar.gz"
    )
    assert shared_models.model_path(_app_as_rasa_run_makes_it("t2", "m.tar.gz", "aws")) is None
    assert shared_models.model_path(Sanic("t3")) is None


@pytest.fixture
def fake_rasa_loader(monkeypatch):
    loads = []

    def load(path):
        loads.append(str(path))
        return (os.path.basename(str(path)), "metadata", object())

    monkeypatch.setattr(model_loading, "_rasa_load_model", load)
    monkeypatch.setattr(model_loading, "_loaded", {})
    return loads


def test_a_worker_takes_the_graph_loaded_before_the_fork(tmp_path, fake_rasa_loader):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"a model")
    model_loading.load_before_fork(model)
    first = model_loading.load_model(model)
    assert model_loading.load_model(model) is first
    assert fake_rasa_loader == [str(model)], "loaded once"


def test_a_changed_model_file_is_loaded_afresh(tmp_path, fake_rasa_loader):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"a model")
    model_loading.load_before_fork(model)
    model.write_bytes(b"a newer, longer model")
    model_loading.load_model(model)
    assert len(fake_rasa_loader) == 2


def test_one_worker_loads_nothing_before_the_fork(monkeypatch, fake_rasa_loader, tmp_path):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"a model")
    monkeypatch.setenv("SANIC_WORKERS", "1")
    shared_models.load_model_before_fork(_app_as_rasa_run_makes_it("t4", str(model)))
    assert fake_rasa_loader == []
    monkeypatch.setenv("SANIC_WORKERS", "2")
    shared_models.load_model_before_fork(_app_as_rasa_run_makes_it("t5", str(model)))
    assert fake_rasa_loader == [str(model)]


def test_the_rest_channel_registers_the_listener():
    from components.channels import RestChannel

    blueprint = RestChannel().blueprint(lambda message: None)
    events = [listener.event for listener in blueprint._future_listeners]
    assert "main_process_start" in events


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
def test_a_forked_worker_reads_messages_as_a_fresh_load_does(monkeypatch):
    from rasa.core.agent import Agent

    texts = ["I need a food bank in Bradford", "he has a knife", "Potrzebuję pomocy z jedzeniem"]

    def readings(agent):
        # On its own thread: the browser tests keep an event loop running on this one.
        return json.dumps([run(agent.parse_message(t)) for t in texts], sort_keys=True)

    model_loading.install()
    monkeypatch.setattr(model_loading, "_loaded", {})
    fresh_agent = Agent.load(str(MODEL))  # nothing loaded before: Rasa's own load
    fresh = readings(fresh_agent)
    model_loading.load_before_fork(MODEL)
    preloaded = MessageProcessor._load_model(MODEL)
    assert preloaded[2] is not fresh_agent.processor.graph_runner
    agent = Agent.load(str(MODEL))
    assert agent.processor.graph_runner is preloaded[2], "the worker takes the preloaded graph"
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            os.write(write, readings(agent).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        in_worker = pipe.read()
    os.waitpid(pid, 0)
    assert in_worker == fresh
