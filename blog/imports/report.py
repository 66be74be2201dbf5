"""What an import did, kind by kind, and the summary table both importers print."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tqdm import tqdm

OUTCOMES = ("imported", "updated", "unchanged", "skipped", "failed")


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def fail(self, kind, label, reason):
        self.count(kind, "failed")
        self.failures.append(f"{kind} {label}: {reason}")

    def skip(self, kind, reason, n=1):
        self.count(kind, "skipped", n)
        self.skipped[f"{kind}: {reason}"] += n


def write_summary(command, report, title):
    """The table of outcomes per kind, then skips by reason, warnings and failures, on ``command.stdout``."""
    out, style = command.stdout, command.style
    out.write(title)
    width = max([len(kind) for kind in report.counts] + [14])
    out.write(f"{'':{width}}  " + "  ".join(f"{o:>9}" for o in OUTCOMES))
    for kind in sorted(report.counts):
        row = report.counts[kind]
        out.write(f"{kind:{width}}  " + "  ".join(f"{row.get(o, 0):>9}" for o in OUTCOMES))
    if report.skipped:
        out.write("Skipped:")
        for reason, n in sorted(report.skipped.items()):
            out.write(f"  {n:>5} × {reason}")
    if report.warnings:
        out.write(style.WARNING(f"Warnings ({len(report.warnings)}):"))
        for warning in report.warnings:
            out.write(style.WARNING(f"  {warning}"))
    if report.failures:
        out.write(style.ERROR(f"Failures ({len(report.failures)}):"))
        for failure in report.failures:
            out.write(style.ERROR(f"  {failure}"))


def progress_bar(command, verbosity):
    """tqdm on the command's stderr, shown on a terminal (or with -v 2)."""

    def progress(iterable, **kwargs):
        return tqdm(iterable, file=command.stderr, disable=not command.stderr.isatty() and verbosity < 2, **kwargs)

    return progress
