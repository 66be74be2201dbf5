"""A real HTTP server standing in for Varnish: it answers PURGE and records the paths."""

import contextlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread


@contextlib.contextmanager
def recording_purges():
    """``(location, purged)``: the address to purge at, and the list of paths purged there so far."""
    purged = []

    class Recorder(BaseHTTPRequestHandler):
        def do_PURGE(self):
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", purged
    finally:
        server.shutdown()
        server.server_close()
