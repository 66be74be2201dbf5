"""The apps import one way: ``core`` at the bottom, ``blog`` and its apps above it,
``home`` and ``search`` on top, and ``delivery`` (which knows every page type) and
``bench`` (the benchmark's data) above all.

Read from the source with ``ast``, so an import added anywhere in a module, even
inside a function, is seen. Django's ``AppConfig.ready()`` is the one place an
import may sit inside a function: that is where Django wants signal handlers and
other registry work imported.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Rank of each app: an app may import apps of a lower rank, and within blog's rank
# blog's own apps may import ``blog`` (and each other, without a cycle), never the reverse.
RANKS = {
    "core": 0,
    "blog": 1,
    "blog.affiliates": 1,
    "blog.comments": 1,
    "blog.letterboxd": 1,
    "blog.lists": 1,
    "blog.ratings": 1,
    "blog.wordpress": 1,
    "home": 2,
    "search": 2,
    "delivery": 3,
    "bench": 3,
}


def app_of(module):
    """The project app a dotted module belongs to (the longest matching app name), or None."""
    matches = [app for app in RANKS if module == app or module.startswith(app + ".")]
    return max(matches, key=len) if matches else None


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path, tree):
    """(line, dotted module, inside a function other than ready()) for every import in ``tree``."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inside = child.name != "ready"
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, in_function
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                names = [f"{base}.{alias.name}" for alias in child.names]
                for name in [base, *names]:
                    yield child.lineno, name, in_function
            yield from walk(child, inside)

    yield from walk(tree, False)


def project_imports():
    """[(file, line, from app, to app, inside a function)] across every project app."""
    found = []
    for app in RANKS:
        if "." in app:
            continue  # blog's apps are walked with blog
        for path in sorted((ROOT / app).rglob("*.py")):
            source_app = app_of(module_name(path))
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, module, in_function in imported_modules(path, tree):
                target = app_of(module)
                if target is not None:
                    found.append((path.relative_to(ROOT), line, source_app, target, in_function))
    return found


IMPORTS = project_imports()


def allowed(source, target):
    if source == target:
        return True
    if RANKS[target] < RANKS[source]:
        return True
    # Same rank: only blog's own apps building on blog or on one another.
    return RANKS[source] == 1 and source != "blog"


def test_imports_point_down_the_layers():
    wrong = [
        f"{path}:{line}: {source} imports {target}"
        for path, line, source, target, _ in IMPORTS
        if not allowed(source, target)
    ]
    assert not wrong, "\n".join(wrong)


def test_blog_never_imports_home():
    assert not [entry for entry in IMPORTS if entry[2].startswith("blog") and entry[3] == "home"]


def test_no_cycle_between_apps():
    edges = {}
    for _path, _line, source, target, _ in IMPORTS:
        if source != target:
            edges.setdefault(source, set()).add(target)

    def reaches(start, goal, seen):
        for step in edges.get(start, ()):
            if step == goal or (step not in seen and reaches(step, goal, seen | {step})):
                return True
        return False

    cycles = sorted(app for app in edges if reaches(app, app, {app}))
    assert not cycles, f"apps on an import cycle: {cycles}"


def test_no_import_hides_inside_a_function():
    hidden = [f"{path}:{line} ({source} → {target})" for path, line, source, target, inside in IMPORTS if inside]
    assert not hidden, "\n".join(hidden)


@pytest.mark.parametrize(
    ("source", "target", "ok"),
    [
        ("blog", "home", False),
        ("blog", "blog.comments", False),
        ("blog.comments", "blog", True),
        ("home", "search", False),
        ("search", "blog", True),
        ("core", "blog", False),
        ("delivery", "home", True),
    ],
)
def test_the_rule_itself(source, target, ok):
    assert allowed(source, target) is ok
