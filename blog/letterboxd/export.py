"""Reading a Letterboxd data export (Settings → Import & Export → Export your data): the ZIP or its folder.

Nothing is extracted: CSV files are read from the ZIP into memory, with limits on
each file's size and on the whole, checked while reading (a ZIP's stated sizes can
lie), so neither a ZIP bomb nor an entry named ``../../etc/passwd`` can reach the
disk. The files may sit at the top or inside one folder; ``deleted/`` and
``orphaned/`` hold what the member deleted and are never read.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
IGNORED_FOLDERS = {"deleted", "orphaned"}
# The columns each file must have, as Letterboxd names them; more are allowed.
COLUMNS = {
    "reviews.csv": {"Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Review", "Tags", "Watched Date"},
    "diary.csv": {"Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"},
    "ratings.csv": {"Date", "Name", "Year", "Letterboxd URI", "Rating"},
    "profile.csv": {"Username"},
}
LIST_HEADER = "Letterboxd list export"
LIST_COLUMNS = {"Position", "Name", "Year", "URL"}


class ExportError(ValueError):
    """The export cannot be read at all: the message says why, and nothing is imported."""


@dataclass
class Row:
    """One CSV row: its fields by column name, and where it came from (for messages)."""

    file: str
    line: int
    fields: dict
    error: str = ""  # why the row could not be read, if it could not

    def __getitem__(self, column):
        return (self.fields.get(column) or "").strip()


@dataclass
class FilmList:
    slug: str
    name: str
    entries: list
    url: str = ""
    date: str = ""
    description: str = ""


@dataclass
class Export:
    name: str
    profile: dict = field(default_factory=dict)
    reviews: list = field(default_factory=list)
    diary: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    lists: list = field(default_factory=list)
    other_files: list = field(default_factory=list)  # CSV files of the export that Marquee does not import
    unsafe_entries: list = field(default_factory=list)  # ZIP entries with ../ or absolute paths, never read


def read(path):
    """An ``Export`` from a Letterboxd ZIP or its unpacked folder; ``ExportError`` if it is neither."""
    path = Path(path)
    if path.is_dir():
        files, unsafe = _folder_files(path)
    elif zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                files, unsafe = _zip_files(archive)
        except (zipfile.BadZipFile, NotImplementedError, EOFError) as error:
            raise ExportError(f"{path.name} is not a readable ZIP file ({error})") from None
    elif path.exists():
        raise ExportError(f"{path.name} is neither a ZIP file nor a folder; give the export as Letterboxd sent it")
    else:
        raise ExportError(f"{path} does not exist")
    files = _without_top_folder(files)
    export = Export(name=path.name, unsafe_entries=unsafe)
    for name in sorted(files):
        parts = PurePosixPath(name).parts
        if parts[0] in IGNORED_FOLDERS or not name.endswith(".csv"):
            continue
        text = _decode(name, files[name])
        if parts[0] == "lists" and len(parts) == 2:
            export.lists.append(_film_list(name, text))
        elif name in COLUMNS:
            rows = _rows(name, text)
            if name == "profile.csv":
                export.profile = rows[0].fields if rows else {}
            else:
                setattr(export, name.removesuffix(".csv"), rows)
        else:
            export.other_files.append(name)
    if not (export.reviews or export.diary or export.ratings or export.lists or export.profile):
        found = {PurePosixPath(name).parts[0] for name in files if name.endswith(".csv")} - IGNORED_FOLDERS
        if not found & {*COLUMNS, "lists"}:
            raise ExportError(f"{path.name} holds no Letterboxd export files (reviews.csv, diary.csv, ratings.csv…)")
    return export


def _zip_files(archive):
    files, unsafe, total = {}, [], 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or ":" in pure.parts[0]:
            unsafe.append(info.filename)
            continue
        if not name.endswith(".csv") or PurePosixPath(name).parts[0] in IGNORED_FOLDERS:
            continue
        if info.file_size > MAX_FILE_BYTES:
            raise ExportError(f"{name} is {info.file_size:,} bytes unpacked; the limit is {MAX_FILE_BYTES:,}")
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
        total += len(data)
        if len(data) > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise ExportError(f"{name} unpacks to more than its ZIP entry says (a ZIP bomb?); nothing was imported")
        files[name] = data
    return files, unsafe


def _folder_files(folder):
    files, unsafe, total = {}, [], 0
    root = folder.resolve()
    for path in sorted(folder.rglob("*.csv")):
        relative = path.relative_to(folder)
        if relative.parts[0] in IGNORED_FOLDERS:
            continue
        if not path.resolve().is_relative_to(root):
            unsafe.append(str(relative))  # a link out of the export folder
            continue
        size = path.stat().st_size
        total += size
        if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise ExportError(f"{relative} is too large to be a Letterboxd export file ({size:,} bytes)")
        files[relative.as_posix()] = path.read_bytes()
    return files, unsafe


def _without_top_folder(files):
    """Names relative to the export itself: ``letterboxd-ann-2026-12-01/reviews.csv`` → ``reviews.csv``."""
    tops = {PurePosixPath(name).parts[0] for name in files}
    if len(tops) == 1 and all(len(PurePosixPath(name).parts) > 1 for name in files):
        (top,) = tops
        if top not in IGNORED_FOLDERS and top != "lists":
            return {name[len(top) + 1 :]: data for name, data in files.items()}
    return files


def _decode(name, data):
    try:
        return data.decode("utf-8-sig")  # Excel-saved exports start with a byte-order mark
    except UnicodeDecodeError as error:
        raise ExportError(f"{name} is not UTF-8 text (byte {error.start}); nothing was imported") from None


def _rows(name, text):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = COLUMNS[name] - {column.strip() for column in reader.fieldnames or ()}
    if missing:
        raise ExportError(
            f"{name} lacks the column(s) {', '.join(sorted(missing))}: not a Letterboxd export, or an edited one"
        )
    return list(_read_rows(name, reader))


def _read_rows(name, reader):
    """Every row, a row too large for the csv module (over 128 KiB in one field) kept as an error row."""
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(name, line, {}, error=f"could not be read ({error})")
            continue
        yield Row(name, line, {(k or "").strip(): v for k, v in fields.items() if isinstance(v, str)})


def _film_list(name, text):
    """``lists/<slug>.csv``: a header line, the list's own row, a blank line, then its films."""
    first, _, rest = text.partition("\n")
    if not first.startswith(LIST_HEADER):
        raise ExportError(f"{name} does not start with “{LIST_HEADER}”")
    rows = list(csv.reader(io.StringIO(rest, newline="")))
    blank = rows.index([]) if [] in rows else len(rows)
    about = _as_dicts(name, rows[:blank], {"Name"})
    films = _as_dicts(name, [row for row in rows[blank + 1 :] if row], LIST_COLUMNS)
    own = about[0] if about else None
    return FilmList(
        slug=PurePosixPath(name).stem,
        name=own["Name"] if own else "",
        entries=films,
        url=own["URL"] if own else "",
        date=own["Date"] if own else "",
        description=own["Description"] if own else "",
    )


def _as_dicts(name, rows, required):
    if not rows:
        return []
    header = [column.strip() for column in rows[0]]
    missing = required - set(header)
    if missing:
        raise ExportError(f"{name} lacks the column(s) {', '.join(sorted(missing))}")
    return [Row(name, n, dict(zip(header, row, strict=False))) for n, row in enumerate(rows[1:], start=2)]
