"""Fixtures for the maintainer-tool tests: a local HTTP server, a closed port, a directory copy."""

from __future__ import annotations

import shutil
import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.tools.fake_server import FakeServer, handler_for

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def server():
    fake = FakeServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(fake))
    httpd.daemon_threads = True  # a deliberately slow reply must not hold up the test run
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield fake
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port_url():
    """A URL where nothing listens: connection refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def directory_file(tmp_path):
    path = tmp_path / "directory.yml"
    shutil.copy(FIXTURES / "directory.yml", path)
    return path
