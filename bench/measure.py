"""The load benchmark behind `bench/run` (see that script for the environment it sets).

1. Makes sure the benchmark databases hold the same 20,000 reviews: commit 591a0bb's own (its migrations, demo,
   seed_bench, update_index, VACUUM ANALYZE) and this commit's, a copy of it brought forward by its migrations.
2. Full renders, every cache off (Django's DummyCache for every alias): the review, home, listing page 1 and
   page 1,000, two searches; the same for commit 591a0bb side by side (a git worktree with a virtualenv of its
   own), twice: served the same way (2 sync workers, every cache off), and as it shipped with "nothing
   cached" (its own gunicorn.conf.py and ASGI app, PAGE_CACHE=0 FRAGMENT_CACHE=0, Redis for the rest). The
   three take turns for BENCH_ROUNDS rounds (3), and the table shows each row's median round.
3. The production stack: gunicorn with Redis behind Varnish and the shipped VCL: the review and home page,
   asked for with Accept-Encoding: gzip as browsers do, and the review uncompressed.
4. nginx serving the review's HTML from a file, the compressed copy (gzip_static) and as it is: the ceilings.
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
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # interleaved rounds of the full-render rows
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


def manage(*args, tree=ROOT, env=None, **kwargs):
    return subprocess.run(
        [tree / ".venv" / "bin" / "python", "manage.py", *args],
        cwd=tree,
        env={**os.environ, **(env or {})},
        check=True,
        **kwargs,
    )


def django_shell(code):
    out = manage("shell", "-c", code, capture_output=True, text=True).stdout.strip().splitlines()
    return out[-1] if out else ""


def psql(*args):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", *args], capture_output=True, text=True)


def database_exists(name):
    return psql("-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'").stdout.strip() == "1"


BASELINE_DB = f"{os.environ.get('BENCH_DB', 'marquee_bench')}_{BASELINE}"


def baseline_env():
    """The baseline reads a database of its own: its schema is the one its migrations made."""
    return {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BASELINE_DB}"}


def ensure_data():
    """Both trees get the same 20,000 reviews: the baseline seeds its own database, this commit migrates a copy.

    The baseline's code cannot read this commit's schema (columns moved since), so
    the data is made once by the baseline's own migrations, demo and seed_bench,
    and this commit's database is a copy of it (PostgreSQL's CREATE DATABASE …
    TEMPLATE) brought forward by this commit's migrations: one data set, each tree
    on its own schema.
    """
    db = os.environ["BENCH_DB"]
    if not database_exists(BASELINE_DB):
        tree, env = baseline_tree(), baseline_env()
        psql("-qc", f'CREATE DATABASE "{BASELINE_DB}"')
        manage("migrate", "--noinput", "-v0", tree=tree, env=env)
        manage("load_demo", tree=tree, env=env, stdout=subprocess.DEVNULL)
        manage("seed_bench", "--reviews", str(REVIEWS), tree=tree, env=env)
        print("Indexing the seeded reviews for search (baseline)…", flush=True)
        manage("update_index", tree=tree, env=env, stdout=subprocess.DEVNULL)
        psql("-d", BASELINE_DB, "-qc", "VACUUM ANALYZE")  # update_index rewrites every index entry
    if not database_exists(db):
        psql("-qc", f'CREATE DATABASE "{db}" TEMPLATE "{BASELINE_DB}"')
        manage("migrate", "--noinput", "-v0")
        print("Indexing the reviews for search (this commit)…", flush=True)
        manage("update_index", stdout=subprocess.DEVNULL)
        psql("-d", db, "-qc", "VACUUM ANALYZE")
    manage("collectstatic", "--noinput", "-v0")


def set_site(port):
    code = (
        "from wagtail.models import Site;"
        f"Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port={port})"
    )
    django_shell(code)
    manage("shell", "-c", code, tree=baseline_tree(), env=baseline_env(), capture_output=True)


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
    """gunicorn with 2 workers on PORT, from ``tree``, with ``settings`` (a module name).

    Sync workers and the WSGI app unless ``as_shipped``: then the tree's own
    gunicorn.conf.py decides (commit 591a0bb ran asyncio workers on its ASGI app).
    """

    def __init__(self, tree=ROOT, settings="settings.production", extra_path=None, as_shipped=False, env=None):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), extra_path])),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_MAX_REQUESTS": "0",
            **({} if as_shipped else {"GUNICORN_CMD_ARGS": "--worker-class sync"}),
            **(env or {}),
        }
        app = "settings.asgi" if as_shipped and (tree / "settings" / "asgi.py").exists() else "settings.wsgi"
        self.process = subprocess.Popen(
            [tree / ".venv" / "bin" / "gunicorn", "-c", "gunicorn.conf.py", app], cwd=tree, env=env
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


# What browsers send: a cache holding compressed pages hands them over as they are.
GZIP = {"Accept-Encoding": "gzip"}


def wrk(url, warm=True, headers=None):
    headers = headers or {}
    if warm:
        for _ in range(3):  # renditions, connections
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read()
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "10s",
            *[arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")],
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


def full_renders(rows, tree, no_cache_dir, **server_options):
    """wrk on each of ``rows`` against one server started for them; the results and the largest worker."""
    server = Server(tree, **{"settings": "bench_no_cache", "extra_path": no_cache_dir, **server_options})
    try:
        results = {name: wrk(f"http://127.0.0.1:{PORT}{path}") for name, path in rows}
        return results, server.worker_memory_mb()
    finally:
        server.stop()


def median_round(rounds):
    """Per row, the round with the median requests/s, and every round's requests/s."""
    chosen, spread = {}, {}
    for name in rounds[0]:
        ordered = sorted((results[name] for results in rounds), key=lambda result: result["rps"])
        chosen[name] = ordered[len(ordered) // 2]
        spread[name] = [round(results[name]["rps"]) for results in rounds]
    return chosen, spread


def interleaved_full_renders(no_cache_dir):
    """This commit and the baseline (both ways) in turn, ROUNDS times: the machine's drift falls on all three.

    Run to run, the same server moves by 10–15 % here; medians of interleaved
    rounds make the ratios between trees steadier than one pass of each.
    """
    contenders = {
        "this commit": (FULL_RENDER, ROOT, {}),
        f"{BASELINE}, every cache off": (BASELINE_ROWS, baseline_tree(), {"env": baseline_env()}),
        f"{BASELINE} as shipped, nothing cached": (
            BASELINE_ROWS,
            baseline_tree(),
            {
                "settings": "settings.production",
                "as_shipped": True,
                "env": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0", **baseline_env()},
            },
        ),
    }
    rounds = {label: [] for label in contenders}
    memory = dict.fromkeys(contenders, 0.0)
    for number in range(ROUNDS):
        for label, (rows, tree, options) in contenders.items():
            results, worker = full_renders(rows, tree, no_cache_dir, **options)
            rounds[label].append(results)
            memory[label] = max(memory[label], worker)
        print(f"full renders: round {number + 1}/{ROUNDS} done", file=sys.stderr, flush=True)
    medians, lines, spreads = {}, [], []
    for label in contenders:
        medians[label], spread = median_round(rounds[label])
        for name, result in medians[label].items():
            lines.append(row(f"{name}, full render ({label})", result, f"{memory[label]:.0f} MB"))
            spreads.append(f"{name} ({label}): {', '.join(map(str, spread[name]))}")
    return medians, lines, spreads


def nginx_ceiling(html, gzipped):
    """nginx serving the review's HTML from a file: as it is, and (gzip_static) the compressed copy Varnish holds."""
    folder = Path(tempfile.mkdtemp(prefix="marquee-nginx-"))
    (folder / "index.html").write_bytes(html)
    (folder / "index.html.gz").write_bytes(gzipped)
    folder.chmod(0o755)
    for name in ("index.html", "index.html.gz"):
        (folder / name).chmod(0o644)
    config = folder / "nginx.conf"
    config.write_text(
        f"worker_processes 2; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; gzip_static on; server {{ listen 127.0.0.1:{NGINX_PORT}; root {folder}; "
        "location / { default_type text/html; try_files /index.html =404; } } }\n"
    )
    process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(folder)])
    time.sleep(1)
    try:
        url = f"http://127.0.0.1:{NGINX_PORT}/"
        return wrk(url, headers=GZIP), wrk(url)
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
print("ready|" + marker, flush=True)
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
    # The comment's text is known before the readers start, so each response is judged as it arrives.
    ready, text = editor.stdout.readline().strip().split("|")
    assert ready == "ready"
    marker = text.encode()
    stop = threading.Event()
    samples = []  # (started, finished, status, body contains the marker)

    def reader():
        conn = HTTPConnection("127.0.0.1", varnish_port, timeout=10)
        while not stop.is_set():
            started = time.time()
            conn.request("GET", REVIEW)
            response = conn.getresponse()
            body = response.read()
            samples.append((started, time.time(), response.status, marker in body))

    readers = [threading.Thread(target=reader) for _ in range(CONNECTIONS)]
    for thread in readers:
        thread.start()
    time.sleep(5)
    editor.stdin.write("go\n")
    editor.stdin.flush()
    _text, began, returned = editor.stdout.readline().strip().split("|")
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

    set_site(PORT)
    medians, lines, spreads = interleaved_full_renders(no_cache_dir)
    new = medians["this commit"]
    old = medians[f"{BASELINE}, every cache off"]
    shipped = medians[f"{BASELINE} as shipped, nothing cached"]

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
            gzipped = urllib.request.urlopen(urllib.request.Request(varnish.base_url + REVIEW, headers=GZIP)).read()
            memory = f"{server.worker_memory_mb():.0f} MB"
            cached = {
                "review": wrk(varnish.base_url + REVIEW, headers=GZIP),
                "home": wrk(varnish.base_url + "/", headers=GZIP),
                "review, uncompressed": wrk(varnish.base_url + REVIEW),
            }
            lines.append(row("review page, through Varnish (gzip, as browsers ask)", cached["review"], memory))
            lines.append(row("home page, through Varnish (gzip)", cached["home"], memory))
            lines.append(row("review page, through Varnish (uncompressed)", cached["review, uncompressed"], memory))
            burst = publish_during_burst(varnish.port)
        finally:
            server.stop()
    ceiling, ceiling_plain = nginx_ceiling(html, gzipped)
    lines.append(row("nginx, the review HTML from a file, gzip_static (ceiling)", ceiling))
    lines.append(row("nginx, the review HTML from a file, uncompressed (ceiling)", ceiling_plain))

    def ratio(ours, theirs, page):
        return ours[page]["rps"] / theirs[page]["rps"]

    table = "\n".join(
        [
            f"wrk: 2 threads, {CONNECTIONS} connections, {SECONDS} s per row; gunicorn 2 workers (sync unless"
            f" “as shipped”); PostgreSQL and Redis on the same machine; {REVIEWS:,} reviews. Full renders: the"
            f" median of {ROUNDS} interleaved rounds (each round's requests/s below the table).",
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
            f"Ratios: review full render {ratio(new, shipped, 'review page'):.2f}× {BASELINE} as shipped "
            f"({ratio(new, old, 'review page'):.2f}× with every cache off); "
            f"search “night” {ratio(new, shipped, 'search “night”'):.2f}× as shipped "
            f"({ratio(new, old, 'search “night”'):.2f}×); "
            f"review through Varnish {cached['review']['rps'] / ceiling['rps']:.0%} of nginx with gzip, "
            f"{cached['review, uncompressed']['rps'] / ceiling_plain['rps']:.0%} uncompressed.",
            "",
            "Full renders, requests/s in each round:",
            "",
            *(f"- {spread}" for spread in spreads),
        ]
    )
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
