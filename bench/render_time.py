"""Full-render time in process, this commit beside a baseline commit, interleaved in one run.

"Full render" means Django's DummyCache for every cache alias (and, for the baseline, its own page and
fragment caches off), so each request pays for everything. Each tree runs in a process of its own, with
its own virtualenv, rendering the same URLs through Django's test client against the same database;
the rounds alternate between the trees so that the machine's noise falls on both alike.

    bench/run render-time                 # against the benchmark database, 591a0bb as the baseline
    BENCH_ROUNDS=8 bench/run render-time
    BENCH_INSTRUCTIONS=1 bench/run render-time   # also count instructions (valgrind): repeatable on a busy machine

Prints, for every URL, the median milliseconds per render of each tree and their ratio; with
BENCH_INSTRUCTIONS, also the Python process's instructions per render of the review and the home page,
counted by valgrind's callgrind (the database server's work is not in them), which do not vary with
whatever else the machine is doing.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from measure import BASELINE, NO_CACHE_SETTINGS, baseline_env, baseline_tree, ensure_data  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "20"))
URLS = [
    "/reviews/dear-comrades/",
    "/",
    "/reviews/",
    "/search/?q=night",
]

# Runs inside each tree's own interpreter: render every URL (once to warm up, then RENDERS times) and print
# milliseconds per render. Under valgrind, the difference between RENDERS=10 and RENDERS=0 is ten renders.
CHILD = """
import json, sys, time
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
urls, renders = json.loads(sys.argv[1]), int(sys.argv[2])
result = {}
for url in urls:
    response = client.get(url)  # warm: imports, template loading, database connection
    assert response.status_code == 200, (url, response.status_code)
    started = time.perf_counter()
    for _ in range(renders):
        client.get(url)
    result[url] = (time.perf_counter() - started) * 1000 / max(renders, 1)
print(json.dumps(result))
"""


def render_times(tree, settings_dir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_no_cache",
        "PYTHONPATH": os.pathsep.join([str(tree), settings_dir]),
        **(baseline_env() if tree != ROOT else {}),
    }
    out = subprocess.run(
        [tree / ".venv" / "bin" / "python", "-c", CHILD, json.dumps(URLS), str(RENDERS)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


INSTRUCTION_URLS = URLS[:2]


def instructions_per_render(tree, settings_dir, url, renders=10):
    """Instructions one render costs the Python process: callgrind's total for ``renders`` renders minus none."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_no_cache",
        "PYTHONPATH": os.pathsep.join([str(tree), settings_dir]),
        **(baseline_env() if tree != ROOT else {}),
    }

    def total(n):
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
            + [str(tree / ".venv" / "bin" / "python"), "-c", CHILD, json.dumps([url]), str(n)],
            cwd=tree,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return int(re.search(r"Collected : (\d+)", run.stderr).group(1))

    return (total(renders) - total(0)) / renders


def main():
    ensure_data()
    baseline = baseline_tree()
    with tempfile.TemporaryDirectory() as settings_dir:
        Path(settings_dir, "bench_no_cache.py").write_text(NO_CACHE_SETTINGS)
        samples = {"this": {url: [] for url in URLS}, BASELINE: {url: [] for url in URLS}}
        for number in range(ROUNDS):
            for label, tree in (("this", ROOT), (BASELINE, baseline)):
                for url, ms in render_times(tree, settings_dir).items():
                    samples[label][url].append(ms)
            print(f"round {number + 1}/{ROUNDS} done", file=sys.stderr, flush=True)
    print(f"\nIn-process full render, every cache off: median ms per render over {ROUNDS} interleaved rounds")
    print(f"of {RENDERS} renders each.\n")
    print(f"| page | this commit | {BASELINE} | ratio |")
    print("| --- | --- | --- | --- |")
    for url in URLS:
        ours, theirs = statistics.median(samples["this"][url]), statistics.median(samples[BASELINE][url])
        print(f"| `{url}` | {ours:.1f} ms | {theirs:.1f} ms | {ours / theirs:.2f}× |")
    if os.environ.get("BENCH_INSTRUCTIONS"):
        print("\nInstructions per full render in the Python process (valgrind callgrind), every cache off.\n")
        print(f"| page | this commit | {BASELINE} | ratio |")
        print("| --- | --- | --- | --- |")
        with tempfile.TemporaryDirectory() as settings_dir:
            Path(settings_dir, "bench_no_cache.py").write_text(NO_CACHE_SETTINGS)
            for url in INSTRUCTION_URLS:
                ours = instructions_per_render(ROOT, settings_dir, url)
                theirs = instructions_per_render(baseline, settings_dir, url)
                print(f"| `{url}` | {ours / 1e6:.0f} M | {theirs / 1e6:.0f} M | {ours / theirs:.2f}× |")


if __name__ == "__main__":
    main()
