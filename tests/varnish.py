"""A real Varnish (Debian's varnishd) running the project's VCL in front of a test server."""

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VARNISHD = "/usr/sbin/varnishd"
VCL = Path(__file__).resolve().parent.parent / "delivery" / "varnish" / "marquee.vcl"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(KeepRedirects)


@dataclass
class Response:
    status: int
    headers: dict
    body: str


@dataclass
class Varnish:
    port: int
    process: subprocess.Popen

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, headers=None):
        """GET through Varnish; redirects are returned, not followed."""
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        try:
            with NO_REDIRECTS.open(request, timeout=20) as response:
                return Response(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode())


@contextlib.contextmanager
def running_varnish(backend_port):
    """Varnish on a free port with ``marquee.vcl``, its backend pointed at ``backend_port``."""
    if not Path(VARNISHD).exists():
        raise RuntimeError(f"{VARNISHD} not found; run scripts/install-system-packages (make test does)")
    workdir = Path(tempfile.mkdtemp(prefix="marquee-varnish-"))
    vcl = workdir / "marquee.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = free_port()
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-j",
            "none",
            "-n",
            str(workdir / "state"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            f"127.0.0.1:{free_port()}",
            "-f",
            str(vcl),
            "-s",
            "malloc,64m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError("varnishd exited: " + process.stderr.read().decode()[-2000:])
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("varnishd did not start")
            time.sleep(0.1)
        yield Varnish(port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)
