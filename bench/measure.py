"""The load benchmark behind `bench/run` (see that script for the environment it sets).

1. Makes sure the benchmark database holds 20,000 reviews (migrate, demo, seed_bench, update_index, ANALYZE).
2. Serves the site with gunicorn (gunicorn.conf.py, 2 workers, production settings) three times: with the
   page cache on; with it off ("uncached": Django renders every request, reusing the fragments, routes and
   searches it remembered until content changes); and with those off too ("nothing cached", for comparison).
   Measures each scenario with wrk (bench/report.lua).
3. Serves the cached review page's HTML from a file with nginx: the ceiling.
4. Counts SQL queries per request in-process and reads the workers' memory from /proc.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORT, NGINX_PORT = 8020, 8021
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
REVIEWS = 20_000
REVIEW = "/reviews/dear-comrades/"

CACHED = [("review page, cached", REVIEW), ("home page, cached", "/")]
# For comparison, not a target: every cache of rendered output off (fragments, routes, searches).
COLD = [("review page, nothing cached", REVIEW), ("search “night”, nothing cached", "/search/?q=night")]
UNCACHED = [
    ("review page, uncached", REVIEW),
    ("home page, uncached", "/"),
    ("listing page 1", "/reviews/"),
    ("listing page 1,000", "/reviews/?page=1000"),
    ("search “comrades”", "/search/?q=comrades"),
    ("search “night”", "/search/?q=night"),
    ("typeahead “dea”", "/search/suggest/?q=dea"),
]


def manage(*args, **kwargs):
    return subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, check=True, **kwargs)


def django_shell(code):
    out = manage("shell", "-c", code, capture_output=True, text=True).stdout.strip().splitlines()
    return out[-1] if out else ""


def ensure_data():
    db = os.environ["BENCH_DB"]
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{db}'"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{db}"'], check=True)
    manage("migrate", "--noinput", "-v0")
    count = int(django_shell("from blog.models import ReviewPage; print(ReviewPage.objects.count())") or 0)
    if count < REVIEWS:
        manage("load_demo", stdout=subprocess.DEVNULL)
        manage("seed_bench", "--reviews", str(REVIEWS - count))
        print("Indexing the seeded reviews for search…", flush=True)
        manage("update_index", stdout=subprocess.DEVNULL)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qc", "ANALYZE"], check=True)
    django_shell(
        "from wagtail.models import Site;"
        f"Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port={PORT})"
    )
    manage("collectstatic", "--noinput", "-v0")


class Server:
    def __init__(self, page_cache, fragments=True):
        env = {
            **os.environ,
            "PAGE_CACHE": "1" if page_cache else "0",
            "FRAGMENT_CACHE": "1" if fragments else "0",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "-c", "gunicorn.conf.py", "settings.asgi"], cwd=ROOT, env=env
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)

    def worker_memory_mb(self):
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024)
        return max(sizes) if sizes else 0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def wrk(url, **lua_env):
    if "WRK_METHOD" not in lua_env:
        for _ in range(3):  # warm up: renditions, caches, connections
            urllib.request.urlopen(url, timeout=30).read()
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **lua_env},
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def query_counts(paths, page_cache, fragments=True):
    code = (
        "import json, sys, django; django.setup(); from django.conf import settings;"
        f"settings.PAGE_CACHE_ENABLED = {page_cache}; settings.FRAGMENT_CACHE_ENABLED = {fragments};"
        "from django.db import connection; from django.test import Client;"
        "from django.test.utils import CaptureQueriesContext; c = Client(HTTP_HOST='127.0.0.1:%d'); out = {};"
        % PORT
        + "\nfor p in json.loads(sys.argv[1]):\n    c.get(p); c.get(p)\n"
        "    with CaptureQueriesContext(connection) as q: c.get(p)\n    out[p] = len(q)\nprint(json.dumps(out))"
    )
    result = subprocess.run(
        [BIN / "python", "-c", code, json.dumps(paths)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def vote_setup():
    """A reader's cookies and CSRF token, as the rating widget has them after its first vote.

    The production cookies are marked Secure, so they are carried by hand over plain HTTP here.
    """
    review_id = json.loads(
        urllib.request.urlopen(f"{BASE}/api/v2/reviews/?fields=title&search=comrades&limit=1").read()
    )["items"][0]["id"]
    cookies = {}

    def keep(response):
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            cookies[name] = value

    state_response = urllib.request.urlopen(f"{BASE}/ratings/{review_id}/state/")
    keep(state_response)
    token = json.loads(state_response.read())["csrf_token"]
    headers = {
        "X-CSRFToken": token,
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": BASE + REVIEW,
    }

    def cookie_header():
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    first = urllib.request.urlopen(
        urllib.request.Request(
            f"{BASE}/ratings/{review_id}/", data=b"value=3", headers={**headers, "Cookie": cookie_header()}
        )
    )
    keep(first)
    return review_id, {
        "WRK_METHOD": "POST",
        "WRK_BODY": "value=4",
        "WRK_HEADERS": "|".join([f"Cookie: {cookie_header()}", *(f"{k}: {v}" for k, v in headers.items())]),
    }


def nginx_ceiling(html):
    folder = Path(tempfile.mkdtemp(prefix="marquee-nginx-"))
    (folder / "index.html").write_bytes(html)
    folder.chmod(0o755)  # nginx's workers run as an unprivileged user
    (folder / "index.html").chmod(0o644)
    config = folder / "nginx.conf"
    config.write_text(
        f"worker_processes 2; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; server {{ listen 127.0.0.1:{NGINX_PORT}; root {folder}; "
        "location / { default_type text/html; try_files /index.html =404; } } }\n"
    )
    process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(folder)])
    time.sleep(1)
    try:
        return wrk(f"http://127.0.0.1:{NGINX_PORT}/")
    finally:
        process.terminate()
        process.wait()


def row(name, result, queries="–", memory="–"):
    return (
        f"| {name} | {result['rps']:,.0f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} "
        f"| {result['bad_status'] + result['socket_errors']} | {queries} | {memory} |"
    )


def measure(scenarios, page_cache, fragments=True, also=None):
    """Table rows for ``scenarios`` on a fresh server; ``also()`` may add ``{name: (result, queries)}`` of its own."""
    server = Server(page_cache=page_cache, fragments=fragments)
    try:
        counts = query_counts([path for _, path in scenarios], page_cache, fragments)
        results = {name: (wrk(BASE + path), counts[path]) for name, path in scenarios}
        results.update(also() if also else {})
        memory = f"{server.worker_memory_mb():.0f} MB"
        return [row(name, result, queries, memory) for name, (result, queries) in results.items()]
    finally:
        server.stop()


def votes():
    review_id, vote_env = vote_setup()
    return {"vote POST (change of vote)": (wrk(f"{BASE}/ratings/{review_id}/", **vote_env), "–")}


def main():
    ensure_data()
    review = {}

    def keep_review_html():  # what nginx serves as the ceiling
        review["html"] = urllib.request.urlopen(BASE + REVIEW).read()
        return {}

    lines = [
        *measure(CACHED, page_cache=True, also=keep_review_html),
        *measure(UNCACHED, page_cache=False, also=votes),
        *measure(COLD, page_cache=False, fragments=False),
    ]

    ceiling = nginx_ceiling(review["html"])
    lines.append(row("nginx, the review HTML from a file (ceiling)", ceiling))

    table = "\n".join(
        [
            f"wrk: 2 threads, {CONNECTIONS} connections, {SECONDS} s per row; gunicorn 2 asyncio workers; "
            f"PostgreSQL and Redis on the same machine; {REVIEWS:,} reviews.",
            "",
            "| scenario | requests/s | p50 ms | p95 ms | p99 ms | non-2xx | SQL queries | worker RSS (max) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            *lines,
        ]
    )
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(table + "\n")
    cached = next(line for line in lines if line.startswith("| review page, cached"))
    print(f"\nCached review page vs ceiling: {cached.split('|')[2].strip()} vs {ceiling['rps']:,.0f} requests/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
