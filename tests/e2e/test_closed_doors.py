"""Internal services listen on this machine only (issue 17, row 2)."""

import socket
import subprocess
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def other_addresses() -> list[str]:
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [a for a in out if ":" not in a and not a.startswith("127.")]


def test_the_action_server_listens_on_loopback_only(assistant):
    port = urlsplit(assistant.actions_url).port
    addresses = listening_addresses(port)
    assert addresses == {"0100007F"}, f"listening on {addresses} (0100007F is 127.0.0.1)"


def test_the_action_server_cannot_be_reached_from_another_address(assistant):
    port = urlsplit(assistant.actions_url).port
    others = other_addresses()
    if not others:
        pytest.skip("this machine has no address but loopback")
    for address in others:
        with socket.socket() as s:
            s.settimeout(3)
            assert s.connect_ex((address, port)) != 0, f"{address}:{port} accepted a connection"


def test_deeply_nested_json_gets_a_kind_400_from_rasa(assistant):
    import requests

    response = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook", data="[" * 5000 + "]" * 5000, timeout=30
    )
    assert response.status_code == 400
    assert "999" in response.json()[0]["text"]
