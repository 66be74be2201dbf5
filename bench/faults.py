"""Faults under load behind Varnish (run by `bench/faults`): restart PostgreSQL, stop Redis, stop the app.

Readers go through Varnish, as in production. Expectation: cached pages keep
being served while PostgreSQL is down (only uncached ones, such as search,
fail) and everything answers again by itself once it is back (no restart of
the app: persistent connections are health-checked); with Redis stopped every
page is still served; with gunicorn stopped, Varnish serves what it has,
stale. Prints a second-by-second timeline and exits non-zero if any does not hold.
"""

import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import PORT, REVIEW, Server, ensure_data, running_varnish, set_site

PG_VERSION = sorted(Path("/etc/postgresql").iterdir())[-1].name
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/faults.log",
]  # fmt: skip


class Load:
    """Four readers in a loop, each request's outcome filed under the second it started."""

    def __init__(self, base, paths, readers=4):
        self.base = base
        self.paths = paths
        self.timeline = defaultdict(Counter)
        self.cached = defaultdict(Counter)  # the same, for the pages Varnish caches
        self.start = time.monotonic()
        self.running = True
        self.threads = [threading.Thread(target=self.reader, args=(n,), daemon=True) for n in range(readers)]
        for thread in self.threads:
            thread.start()

    def reader(self, n):
        i = n
        while self.running:
            path = self.paths[i % len(self.paths)]
            i += 1
            second = int(time.monotonic() - self.start)
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    response.read()
                    status = str(response.status)
            except urllib.error.HTTPError as error:
                status = str(error.code)
            except OSError:
                status = "no answer"
                time.sleep(0.05)
            self.timeline[second][status] += 1
            if not path.startswith("/search/"):
                self.cached[second][status] += 1

    def now(self):
        return int(time.monotonic() - self.start)

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=10)


def main():
    ensure_data()
    events = {}
    with running_varnish(PORT) as varnish:
        set_site(varnish.port)
        server = Server()
        try:
            for _ in range(100):
                if varnish.get("/healthz").status == 200:
                    break
                time.sleep(0.2)
            # The review and a listing page are cached; search is not (it counts every query).
            load = Load(varnish.base_url, [REVIEW, "/search/?q=comrades", "/reviews/?page=3", "/"])
            time.sleep(4)
            events[load.now()] = "PostgreSQL stopped"
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "stop"], check=True)
            pg_down = load.now()
            time.sleep(4)
            events[load.now()] = "PostgreSQL started"
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "start"], check=True)
            pg_back = load.now()
            time.sleep(8)
            events[load.now()] = "Redis stopped"
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
            redis_down = load.now()
            time.sleep(6)
            events[load.now()] = "Redis started"
            subprocess.run(REDIS_START, check=True)
            redis_up = load.now()
            time.sleep(4)
            events[load.now()] = "gunicorn stopped"
            server.stop()
            app_down = load.now()
            time.sleep(6)
            events[load.now()] = "gunicorn started"
            server = Server()
            app_up = load.now()
            time.sleep(6)
            load.stop()
        finally:
            server.stop()
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "start"], check=False)
            if subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode:
                subprocess.run(REDIS_START, check=False)

    print("| second | responses | event |\n| --- | --- | --- |")
    for second in sorted(load.timeline):
        outcome = ", ".join(f"{status}: {n}" for status, n in sorted(load.timeline[second].items()))
        print(f"| {second} | {outcome} | {events.get(second, '')} |")

    def failures(seconds):
        return sum(n for s in seconds for status, n in load.timeline[s].items() if not status.startswith("2"))

    def cached_failures(seconds):
        # Search is never cached: its failures while PostgreSQL or the app is down are expected.
        return sum(n for s in seconds for status, n in load.cached[s].items() if not status.startswith("2"))

    recovered = failures(range(pg_back + 3, redis_down))
    during_redis = failures(range(redis_down, redis_up + 1))
    cached_during_pg = cached_failures(range(pg_down, pg_back + 1))
    stale_during_app = cached_failures(range(app_down, app_up))
    after_app = failures(range(app_up + 3, load.now()))
    print(f"\nCached pages failing while PostgreSQL was down: {cached_during_pg}")
    print(f"Failures from 3 s after PostgreSQL came back until Redis stopped: {recovered}")
    print(f"Failures while Redis was down: {during_redis}")
    print(f"Cached pages failing while gunicorn was stopped (Varnish serves them stale): {stale_during_app}")
    print(f"Failures from 3 s after gunicorn came back: {after_app}")
    return 0 if not (recovered or during_redis or cached_during_pg or stale_during_app or after_app) else 1


if __name__ == "__main__":
    sys.exit(main())
