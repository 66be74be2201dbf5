"""Faults under load (run by `bench/faults`): restart PostgreSQL, then stop Redis, while readers keep coming.

Expectation: requests fail only while PostgreSQL is down and succeed again by
themselves once it is back (no restart of the app: persistent connections are
health-checked); with Redis stopped every page is still served, uncached.
Prints a second-by-second timeline and exits non-zero if either does not hold.
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
from measure import BASE, REVIEW, Server, ensure_data  # noqa: E402

PG_VERSION = sorted(Path("/etc/postgresql").iterdir())[-1].name
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/faults.log",
]  # fmt: skip


class Load:
    """Four readers in a loop, each request's outcome filed under the second it started."""

    def __init__(self, paths, readers=4):
        self.paths = paths
        self.timeline = defaultdict(Counter)
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
                with urllib.request.urlopen(BASE + path, timeout=5) as response:
                    response.read()
                    self.timeline[second][str(response.status)] += 1
            except urllib.error.HTTPError as error:
                self.timeline[second][str(error.code)] += 1
            except OSError:
                self.timeline[second]["no answer"] += 1
                time.sleep(0.05)

    def now(self):
        return int(time.monotonic() - self.start)

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=10)


def main():
    ensure_data()
    server = Server(page_cache=True)
    events = {}
    try:
        # Query strings bypass nothing here: the review is cached, the search and listing pages are not.
        load = Load([REVIEW, "/search/?q=comrades", "/reviews/?page=3", "/healthz"])
        time.sleep(4)
        events[load.now()] = "PostgreSQL stopped"
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "stop"], check=True)
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

    recovered = failures(range(pg_back + 3, redis_down))
    during_redis = failures(range(redis_down, redis_up + 1))
    print(f"\nFailures from 3 s after PostgreSQL came back until Redis stopped: {recovered}")
    print(f"Failures while Redis was down: {during_redis}")
    return 0 if recovered == 0 and during_redis == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
