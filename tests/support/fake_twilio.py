"""A fake of Twilio's Messages API over real HTTP on 127.0.0.1, for the real `twilio` client to talk to.

It answers POST /2010-04-01/Accounts/<sid>/Messages.json as Twilio does (201 and the
message resource as JSON, or an error document), checks HTTP Basic auth, and keeps
what it accepted. `fail_with` makes it answer 500 (or any status) to simulate an
outage; `refuse_with` a Twilio error code with 400; `stop()` closes the port.
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.support.smtp import free_port

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-auth-token-12345"
FROM_NUMBER = "+13125550000"
_MESSAGES = re.compile(r"/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\.json")


@dataclass
class FakeTwilio:
    """The server and what it received."""

    port: int = field(default_factory=free_port)
    messages: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0
    fail_with: int | None = None
    refuse_with: int | None = None
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        """What TWILIO_API_BASE_URL is set to."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen on the port (again, after `stop`)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, document: dict[str, Any]) -> None:
                payload = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with fake._lock:
                    fake.requests += 1
                match = _MESSAGES.fullmatch(self.path)
                if match is None:
                    self._answer(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})
                    return
                expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected or match.group(1) != ACCOUNT_SID:
                    self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    return
                if fake.fail_with:
                    self._answer(fake.fail_with, {"code": 20500, "message": "Internal Server Error",
                                                  "status": fake.fail_with})
                    return
                if fake.refuse_with:
                    self._answer(400, {"code": fake.refuse_with, "message": "Refused", "status": 400,
                                       "more_info": f"https://www.twilio.com/docs/errors/{fake.refuse_with}"})
                    return
                if "To" not in form or "Body" not in form or not ("From" in form or "MessagingServiceSid" in form):
                    self._answer(400, {"code": 21604, "message": "A 'To' phone number is required.", "status": 400})
                    return
                sid = "SM" + secrets.token_hex(16)
                with fake._lock:
                    fake.messages.append({**form, "Sid": sid})
                self._answer(201, {
                    "sid": sid, "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": form["Body"],
                    "to": form["To"], "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
                    "status": "queued", "direction": "outbound-api", "num_segments": "1", "num_media": "0",
                    "price": None, "price_unit": "USD", "error_code": None, "error_message": None,
                    "date_created": "Thu, 03 Dec 2026 18:00:00 +0000", "date_updated": "Thu, 03 Dec 2026 18:00:00 +0000",
                    "date_sent": None, "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
                    "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"},
                })

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Close the port: the client's connection is refused."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def config(self) -> dict[str, Any]:
        """App settings pointing the real Twilio client here."""
        return {"SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_API_BASE_URL": self.base_url, "TWILIO_TIMEOUT": 2.0}
