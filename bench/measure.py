"""The load benchmark behind `bench/run` (see that script for the environment it sets).

1. Makes sure the benchmark database holds 20,000 reviews (migrate, demo, seed_bench, update_index, ANALYZE).
2. Full renders, every cache off (Django's DummyCache for every alias): the review, home, listing page 1 and
   page 1,000, two searches; the same for commit 591a0bb side by side (a git worktree with a virtualenv of its
   own, its page and fragment caches off), served the same way: gunicorn, 2 sync workers, production settings.
3. The production stack: gunicorn with Redis behind Varnish and the shipped VCL: the review and home page.
4. nginx serving the review's HTML from a file: the ceiling.
5. Publish during a burst: 8 readers on the hot review through Varnish while an editor publishes another
   review and a moderator approves a comment on this one; requests/s before, during and after, the longest
   request, and how many responses were stale once the purge call had returned.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
from tests.varnish import running_varnish  # noqa: E402 - the same Varnish the tests start

PORT, NGINX_PORT = 8020, 8021
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
REVIEWS = 20_000
REVIEW = "/reviews/dear-comrades/"
BASELINE = os.environ.get("BENCH_BASELINE", "591a0bb")

FULL_RENDER = [
    ("review page", REVIEW),
    ("home page", "/"),
    ("listing page 1", "/reviews/"),
    ("listing page 1,000", "/reviews/?page=1000"),
    ("search “night”", "/search/?q=night"),
    ("search “comrades”", "/search/?q=comrades"),
]
BASELINE_ROWS = [("review page", REVIEW), ("home page", "/"), ("search “night”", "/search/?q=night")]
NO_CACHE_SETTINGS = """from settings.production import *  # noqa: F403
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PAGE_CACHE_ENABLED = FRAGMENT_CACHE_ENABLED = False  # commit 591a0bb's own caches
"""


def manage(*args, **kwargs):
    return subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, check=True, **kwargs)


def django_shell(code):
    out = manage("shell", "-c", code, capture_output=True, text=True).stdout.strip().splitlines()
    return out[-1] if out else ""


def psql(*args):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", *args], capture_output=True, text=True)


def ensure_data():
    db = os.environ["BENCH_DB"]
    if psql("-tAc", f"SELECT 1 FROM pg_database WHERE datname='{db}'").stdout.strip() != "1":
        psql("-qc", f'CREATE DATABASE "{db}"')
    manage("migrate", "--noinput", "-v0")
    count = int(django_shell("from blog.models import ReviewPage; print(ReviewPage.objects.count())") or 0)
    if count < REVIEWS:
        manage("load_demo", stdout=subprocess.DEVNULL)
        manage("seed_bench", "--reviews", str(REVIEWS - count))
        print("Indexing the seeded reviews for search…", flush=True)
        manage("update_index", stdout=subprocess.DEVNULL)
        psql("-d", db, "-qc", "ANALYZE")
    manage("collectstatic", "--noinput", "-v0")


def set_site(port):
    django_shell(
        "from wagtail.models import Site;"
        f"Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port={port})"
    )


def baseline_tree():
    """Commit BASELINE checked out beside the project, with a virtualenv of its own requirements."""
    tree = Path(tempfile.gettempdir()) / f"marquee-{BASELINE}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), BASELINE], cwd=ROOT, check=True)
    if not (tree / ".venv" / "bin" / "gunicorn").exists():
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        subprocess.run(
            [tree / ".venv" / "bin" / "pip", "install", "-q", "-r", str(tree / "requirements.txt")], check=True
        )
    return tree


class Server:
    """gunicorn with 2 sync workers on PORT, from ``tree``, with ``settings`` (a module name)."""

    def __init__(self, tree=ROOT, settings="settings.production", extra_path=None):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), extra_path])),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_CMD_ARGS": "--worker-class sync",
        }
        self.process = subprocess.Popen(
            [tree / ".venv" / "bin" / "gunicorn", "-c", "gunicorn.conf.py", "settings.wsgi"], cwd=tree, env=env
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)

    def worker_memory_mb(self):
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        sizes = []
        for pid in children.stdout.split():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024)
        return max(sizes) if sizes else 0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def wrk(url, warm=True):
    if warm:
        for _ in range(3):  # renditions, connections
            urllib.request.urlopen(url, timeout=60).read()
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
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(name, result, memory="–"):
    bad = result["bad_status"] + result["socket_errors"]
    return (
        f"| {name} | {result['rps']:,.0f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} "
        f"| {bad} | {memory} |"
    )


def full_renders(rows, tree, label, no_cache_dir):
    server = Server(tree, settings="bench_no_cache", extra_path=no_cache_dir)
    try:
        results = {name: wrk(f"http://127.0.0.1:{PORT}{path}") for name, path in rows}
        memory = f"{server.worker_memory_mb():.0f} MB"
        return results, [row(f"{name}, full render ({label})", result, memory) for name, result in results.items()]
    finally:
        server.stop()


def nginx_ceiling(html):
    folder = Path(tempfile.mkdtemp(prefix="marquee-nginx-"))
    (folder / "index.html").write_bytes(html)
    folder.chmod(0o755)
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


EDITOR = """
import sys, time, uuid, django
django.setup()
from blog.comments.models import Comment
from blog.models import ReviewPage
hot = ReviewPage.objects.get(url_path__endswith="/dear-comrades/")
other = ReviewPage.objects.live().exclude(pk=hot.pk).order_by("-first_published_at").first()
marker = "Burst comment " + uuid.uuid4().hex[:8]
comment = Comment.objects.create(review=hot, name="Bench", email="b@example.com", text=marker, status="pending")
print("ready", flush=True)
sys.stdin.readline()
started = time.time()
other.title = other.title + " ·"
other.save_revision().publish()
comment.status = "approved"
comment.save()
print(f"{marker}|{started}|{time.time()}", flush=True)
"""


def publish_during_burst(varnish_port):
    """8 readers on the hot review through Varnish; an editor's publish and an approved comment at 5 s."""
    editor = subprocess.Popen(
        [BIN / "python", "-c", EDITOR],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings.production"},
    )
    assert editor.stdout.readline().strip() == "ready"
    stop = threading.Event()
    samples = []  # (started, finished, status, body contains the marker)
    marker = {}

    def reader():
        conn = HTTPConnection("127.0.0.1", varnish_port, timeout=10)
        while not stop.is_set():
            started = time.time()
            conn.request("GET", REVIEW)
            response = conn.getresponse()
            body = response.read()
            text = marker.get("text")
            samples.append((started, time.time(), response.status, bool(text) and text.encode() in body))

    readers = [threading.Thread(target=reader) for _ in range(CONNECTIONS)]
    for thread in readers:
        thread.start()
    time.sleep(5)
    editor.stdin.write("go\n")
    editor.stdin.flush()
    text, began, returned = editor.stdout.readline().strip().split("|")
    marker["text"] = text
    began, returned = float(began), float(returned)
    time.sleep(5)
    stop.set()
    for thread in readers:
        thread.join()
    editor.wait(timeout=30)
    start = samples[0][0]

    def rate(lo, hi):
        done = [s for s in samples if lo <= s[1] < hi]
        return len(done) / max(hi - lo, 1e-9)

    stale = sum(1 for s in samples if s[0] > returned and not s[3])
    return {
        "before": rate(start + 1, began),
        "during": rate(began, max(returned, began + 1)),
        "after": rate(returned, returned + 4),
        "longest_ms": max(s[1] - s[0] for s in samples) * 1000,
        "purge_ms": (returned - began) * 1000,
        "stale": stale,
        "non_2xx": sum(1 for s in samples if s[2] != 200),
    }


def main():
    ensure_data()
    no_cache_dir = tempfile.mkdtemp(prefix="marquee-bench-settings-")
    Path(no_cache_dir, "bench_no_cache.py").write_text(NO_CACHE_SETTINGS)
    lines = []

    set_site(PORT)
    new, new_lines = full_renders(FULL_RENDER, ROOT, "this commit", no_cache_dir)
    old, old_lines = full_renders(BASELINE_ROWS, baseline_tree(), BASELINE, no_cache_dir)
    lines += new_lines + old_lines

    with running_varnish(PORT) as varnish:
        set_site(varnish.port)
        os.environ["FRONTEND_CACHE_PURGE_URL"] = varnish.base_url
        server = Server(ROOT)
        try:
            for _ in range(100):
                if varnish.get("/healthz").status == 200:
                    break
                time.sleep(0.2)
            html = urllib.request.urlopen(varnish.base_url + REVIEW).read()
            memory = f"{server.worker_memory_mb():.0f} MB"
            for name, path in (("review page", REVIEW), ("home page", "/")):
                lines.append(row(f"{name}, through Varnish", wrk(varnish.base_url + path), memory))
            burst = publish_during_burst(varnish.port)
        finally:
            server.stop()
    ceiling = nginx_ceiling(html)
    lines.append(row("nginx, the review HTML from a file (ceiling)", ceiling))

    table = "\n".join(
        [
            f"wrk: 2 threads, {CONNECTIONS} connections, {SECONDS} s per row; gunicorn 2 sync workers; "
            f"PostgreSQL and Redis on the same machine; {REVIEWS:,} reviews.",
            "",
            "| scenario | requests/s | p50 ms | p95 ms | p99 ms | non-2xx | worker RSS (max) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *lines,
            "",
            f"Publish during a burst ({CONNECTIONS} readers on the review through Varnish; another review published"
            " and a comment on this one approved):",
            "",
            "| requests/s before | during the purge | after | longest request | purge call | stale after it "
            "| non-2xx |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            f"| {burst['before']:,.0f} | {burst['during']:,.0f} | {burst['after']:,.0f} "
            f"| {burst['longest_ms']:.0f} ms "
            f"| {burst['purge_ms']:.0f} ms | {burst['stale']} | {burst['non_2xx']} |",
            "",
            "Ratios: review full render {:.1f}× {}, search “night” {:.1f}× {}; "
            "review through Varnish {:.0%} of nginx.".format(
                new["review page"]["rps"] / old["review page"]["rps"],
                BASELINE,
                new["search “night”"]["rps"] / old["search “night”"]["rps"],
                BASELINE,
                float(lines[len(new_lines) + len(old_lines)].split("|")[2].replace(",", "")) / ceiling["rps"],
            ),
        ]
    )
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
