"""A clinic's own website, for the embedding tests: one page with the snippet, on another origin.

Served on 127.0.0.1 and opened as http://localhost:PORT, so that it is a different site from
the app (http://127.0.0.1:PORT2): cookies set by the app in its frame are third-party there.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Records every clinicbooking:* event the page receives, and every message posted to it.
PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lakeside Infusions: book a consultation</title>
<style>body {{ font-family: Georgia, serif; margin: 0; }} header {{ background: #3b2f5c; color: #fff; padding: 1rem; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1rem; }}</style></head>
<body>
<header><strong>Lakeside Infusions</strong> · Home · Treatments · Contact</header>
<main>
<h1>Book a consultation</h1>
<p>Fill in the form below and our team will be in touch.</p>
<script>
  window.clinicEvents = [];
  window.clinicMessages = [];
  ["ready", "request_submitted", "booked"].forEach(function (name) {{
    window.addEventListener("clinicbooking:" + name, function (event) {{
      window.clinicEvents.push({{ type: event.type, detail: event.detail }});
    }});
  }});
  window.addEventListener("message", function (event) {{
    window.clinicMessages.push({{ origin: event.origin, data: JSON.stringify(event.data) }});
  }});
</script>
{snippet}
</main>
</body>
</html>
"""


SCRIPT = '<script src="{app}/static/embed.js" data-clinic="{slug}" data-source="website"{extra}></script>'
# The snippet for sites that forbid scripts.
FRAME = ('<iframe src="{app}/{slug}/embed?source=website" title="Request a consultation" '
         'style="width:100%;height:2400px;border:0"></iframe>')


@contextmanager
def parent_site(app_url: str, slug: str, extra: str = "", snippet: str = SCRIPT) -> Iterator[str]:
    """Serve the page with `snippet` (the script tag, or FRAME); yields its origin, http://localhost:PORT."""
    body = PAGE.format(snippet=snippet.format(app=app_url, slug=slug, extra=extra)).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
