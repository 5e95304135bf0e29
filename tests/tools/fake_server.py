"""A local stand-in for councils' feeds and postcodes.io: http.server on 127.0.0.1, free port."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Reply:
    body: object = None  # JSON-able, or bytes sent as they are
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class FakeServer:
    """`routes[(path, page)]` -> Reply (page None: any query); `postcodes` -> GSS code; `hits` lists requests."""

    url: str = ""
    routes: dict = field(default_factory=dict)
    postcodes: dict = field(default_factory=dict)
    hits: list = field(default_factory=list)

    def serve_pages(self, path: str, pages: dict[int, object]) -> None:
        for number, body in pages.items():
            self.routes[(path, str(number))] = Reply(body)

    def reply(self, raw_path: str) -> Reply:
        parts = urlsplit(raw_path)
        if parts.path.startswith("/postcodes/"):
            postcode = unquote(parts.path[len("/postcodes/") :]).replace(" ", "").upper()
            if postcode in self.postcodes:
                gss = self.postcodes[postcode]
                return Reply(
                    {
                        "status": 200,
                        "result": {"postcode": postcode, "codes": {"admin_district": gss}},
                    }
                )
            return Reply({"status": 404, "error": "Invalid postcode"}, status=404)
        page = parse_qs(parts.query).get("page", [None])[0]
        return (
            self.routes.get((parts.path, page))
            or self.routes.get((parts.path, None))
            or Reply({"error": "not found"}, 404)
        )


def handler_for(server: FakeServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            server.hits.append(self.path)
            reply = server.reply(self.path)
            time.sleep(reply.delay)
            body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def log_message(self, *args):
            pass

    return Handler
