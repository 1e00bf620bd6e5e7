"""Reading rows from JSONL, JSON and CSV files, and writing outputs without losing data.

Every reader here reports a problem as an :class:`~ehrmind_rewards.core.errors.InputError` whose
message starts ``<file>:<line>:`` (or a :class:`BadRow` where the caller counts bad rows instead of
stopping). Column names are compared in one canonical spelling (:func:`canonical_key`), so
``"Ground Truth Answer"``, ``ground_truth_answer`` and ``Ground-Truth-Answer`` are the same column.

Records are read strictly: a JSON object that repeats a key, an integer literal longer than
:data:`MAX_INT_DIGITS` digits, nesting deeper than :data:`MAX_NESTING`, bytes that are not UTF-8,
a CSV header that repeats a column and a CSV quote that is never closed are each reported with
the file and line, never resolved silently.

Every command writes its files through :func:`safe_outputs` (refuse an output that is one of the
command's inputs or another of its outputs) and :func:`atomic_output` (write a temporary file in
the target folder, rename it over the target only once the command succeeded), so a refused or
failed run leaves every existing file as it was.

>>> canonical_key(" Calculator ID ")
'calculator_id'
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from ehrmind_rewards.core.errors import InputError

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
CSV_SUFFIXES = frozenset({".csv"})
CSV_FIELD_LIMIT = 64 * 1024 * 1024
"""Largest CSV field accepted (the csv module's default, 128 KiB, is shorter than long rollouts)."""
MAX_INT_DIGITS = 4300
"""Longest integer literal read from a record: Python's own default limit for ``int(text)``
(``sys.get_int_max_str_digits()``), applied here so that a longer one is a bad row, not a crash."""
MAX_NESTING = 64
"""Deepest nesting of JSON arrays and objects accepted in one record (real rows nest 2–4 deep)."""
MAX_QUOTED = 80
"""Characters of a value quoted in a message before it is cut with ``…``."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A record that could not be used: where, what kind of problem, and a readable message.

    ``message`` starts ``line N:``; :meth:`located` gives the one-line error form.

    >>> BadRow(3, "invalid_json", "line 3: invalid JSON").located("preds.jsonl")
    'preds.jsonl:3: invalid JSON'
    """

    line: int
    kind: str
    message: str

    def located(self, path: object) -> str:
        """``<file>:<line>: <message>``: the message in the command line's error format."""
        prefix = f"line {self.line}: "
        text = self.message.removeprefix(prefix)
        return f"{path}:{self.line}: {text}"


@functools.lru_cache(maxsize=1024)
def canonical_key(name: str) -> str:
    """A column name in canonical spelling: stripped, lower case, words joined by ``_``.

    >>> canonical_key("Ground Truth Answer")
    'ground_truth_answer'
    """
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages about arbitrary input.

    >>> quoted("9" * 200, limit=12)
    "'9999999999…"
    """
    text = repr(value) if not isinstance(value, str) or len(value) <= limit else repr(value[:limit])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_surrogates(text: str) -> str:
    """``text`` with lone surrogates (invalid in UTF-8) written as ``\\udXXX`` escapes.

    JSON text may hold a lone surrogate (``"\\ud83d"``); it cannot be printed or written as
    UTF-8, so every output escapes it instead of failing.

    >>> escape_surrogates("ok \\ud83d")
    'ok \\\\ud83d'
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell that spreadsheets show as text: ``'`` before text starting ``= + - @``, tab or
    carriage return (formula injection, OWASP), unless the text is a plain number.

    >>> spreadsheet_cell("=cmd|' /C calc'!A0"), spreadsheet_cell("-2.5"), spreadsheet_cell(-2.0)
    ("'=cmd|' /C calc'!A0", '-2.5', -2.0)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def detect_format(path: Path) -> str:
    """``"jsonl"`` or ``"csv"``, from the suffix or else from the first non-blank byte.

    >>> from pathlib import Path
    >>> detect_format(Path("preds.jsonl")), detect_format(Path("test_data.csv"))
    ('jsonl', 'csv')
    """
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


def open_checked(path: Path) -> BinaryIO:
    """Open ``path`` for reading, or raise :class:`InputError` if it is missing or empty.

    >>> import tempfile, pathlib
    >>> try:
    ...     open_checked(pathlib.Path(tempfile.mkdtemp()) / "missing.jsonl")
    ... except InputError as error:
    ...     print(str(error).endswith("missing.jsonl: no such file"))
    True
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    handle = path.open("rb")
    blank = True
    for block in iter(lambda: handle.read(1 << 16), b""):
        if block.strip(b"\xef\xbb\xbf \t\r\n"):
            blank = False
            break
    if blank:
        handle.close()
        raise InputError(f"{path}: the file is empty (no records to grade)")
    handle.seek(0)
    return handle


# --- JSON records ---------------------------------------------------------------------------


class _Refused(ValueError):
    """A JSON text that parses but is refused (a repeated key, an over-long integer)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        repeated = next(key for key, count in counts.items() if count > 1)
        raise _Refused("duplicate_key", f"the key {quoted(repeated)} appears twice in one object")
    return record


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(
            "invalid_json",
            f"an integer literal of {len(text):,} digits (at most {MAX_INT_DIGITS:,} are read)",
        )
    return int(text)


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_integer)


def _nested_deeper_than(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def loads_strict(text: str) -> Any:
    """``json.loads`` that refuses repeated keys, over-long integers and deep nesting.

    Raises :class:`ValueError` (a :class:`json.JSONDecodeError` for invalid JSON) or
    :class:`RecursionError`.

    >>> loads_strict('{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> try:
    ...     loads_strict('{"a": 1, "a": 2}')
    ... except ValueError as error:
    ...     print(error)
    the key 'a' appears twice in one object
    """
    value = _DECODER.decode(text)
    if (
        isinstance(value, dict | list)
        and text.count("[") + text.count("{") > MAX_NESTING
        and _nested_deeper_than(value, MAX_NESTING)
    ):
        raise _Refused("invalid_json", f"JSON nested deeper than {MAX_NESTING} levels")
    return value


def decode_jsonl(line: int, raw: bytes) -> dict[str, Any] | BadRow:
    """One JSONL record as a dict, or the reason it is unreadable.

    >>> decode_jsonl(3, b'{"id": 1}')
    {'id': 1}
    >>> decode_jsonl(4, b'{"id": 1').kind
    'truncated_json'
    >>> decode_jsonl(5, b'{"id": 1, "id": 2}').message
    "line 5: the key 'id' appears twice in one object"
    """
    try:
        text = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        return BadRow(
            line,
            "encoding",
            f"line {line}: not UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1});"
            " re-encode the file as UTF-8",
        )
    try:
        value = loads_strict(text)
    except json.JSONDecodeError as error:  # a line that stops before its closing brace: truncated
        truncated = not text.rstrip().endswith("}")
        kind = "truncated_json" if truncated else "invalid_json"
        what = "truncated JSON (the line ends mid-object)" if truncated else "invalid JSON"
        return BadRow(line, kind, f"line {line}: {what}: {error.msg} (column {error.colno})")
    except _Refused as error:
        return BadRow(line, error.kind, f"line {line}: {error}")
    except RecursionError:
        return BadRow(line, "invalid_json", f"line {line}: JSON nested too deeply")
    except ValueError as error:
        return BadRow(line, "invalid_json", f"line {line}: unreadable JSON ({error})")
    if not isinstance(value, dict):
        return BadRow(
            line, "not_object", f"line {line}: expected a JSON object, got {type(value).__name__}"
        )
    return value


# --- CSV ------------------------------------------------------------------------------------


def allow_long_csv_fields() -> None:
    """Raise the csv module's field cap to :data:`CSV_FIELD_LIMIT` (long notes and rollouts)."""
    csv.field_size_limit(min(CSV_FIELD_LIMIT, sys.maxsize))


def iter_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, row)`` for every record of a ``.jsonl``/``.json``/``.csv`` file.

    JSONL (one object per line; a ``.json`` file may also hold one JSON list of objects) or CSV
    with a header row (values stay text). Blank lines are skipped. Any unreadable record raises
    :class:`InputError` naming the file and line (for a JSON list, the 1-based item).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
    >>> _ = path.write_text("id,label\\n7,2\\n", encoding="utf-8")
    >>> list(iter_rows(path))
    [(2, {'id': '7', 'label': '2'})]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    handle = open_checked(path)
    with handle:
        if suffix == ".json" and _starts_with(handle, b"["):
            yield from _json_list_rows(path, handle)
        elif detect_format(path) == "jsonl":
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                record = decode_jsonl(number, raw)
                if isinstance(record, BadRow):
                    raise InputError(record.located(path))
                yield number, record
        else:
            yield from _csv_rows(path, handle)


def read_table(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file, for commands that write the same columns back.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("a,b\\n1,2\\n", encoding="utf-8")
    >>> read_table(path)
    (['a', 'b'], [{'a': '1', 'b': '2'}])
    """
    header, numbered = read_numbered_table(path)
    return header, [row for _, row in numbered]


def read_numbered_table(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Like :func:`read_table`, each row with the line it starts on (for messages).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text('a,b\\n"x\\ny",2\\n3,4\\n', encoding="utf-8")
    >>> read_numbered_table(path)[1]
    [(2, {'a': 'x\\ny', 'b': '2'}), (4, {'a': '3', 'b': '4'})]
    """
    path = Path(path)
    handle = open_checked(path)
    with handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
        header = next(csv.reader(text), [])
    check_header(path, header)
    rows = list(iter_rows(path)) if header else []
    return header, rows


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Every record of ``path`` as a list (see :func:`iter_rows`).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
    >>> _ = path.write_text('{"label": 2}\\n\\n{"label": 0}\\n', encoding="utf-8")
    >>> read_rows(path)
    [{'label': 2}, {'label': 0}]
    """
    return [row for _, row in iter_rows(path)]


def _starts_with(handle: BinaryIO, prefix: bytes) -> bool:
    head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    handle.seek(0)
    return head.startswith(prefix)


def _json_list_rows(path: Path, handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = loads_strict(handle.read().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 (byte offset {error.start}); re-encode it") from None
    except RecursionError:
        raise InputError(f"{path}: not a JSON list of objects (nested too deeply)") from None
    except ValueError as error:
        raise InputError(f"{path}: not a JSON list of objects ({error})") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of objects")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: item {number}: expected a JSON object")
        yield number, item


def check_header(path: object, header: list[str]) -> None:
    """Raise :class:`InputError` when a CSV header repeats a column or is not UTF-8.

    >>> try:
    ...     check_header("d.csv", ["id", "label", "id"])
    ... except InputError as error:
    ...     print(error)
    d.csv:1: the column 'id' appears twice in the header (columns 1 and 3); rename one
    """
    if has_surrogates(header):
        raise InputError(f"{path}:1: the header row is not UTF-8; re-encode the file as UTF-8")
    first: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in first:
            raise InputError(
                f"{path}:1: the column {quoted(name)} appears twice in the header (columns "
                f"{first[name]} and {number}); rename one"
            )
        first[name] = number


def has_surrogates(fields: list[str]) -> bool:
    """Whether decoding left undecodable bytes (``surrogateescape``) in ``fields``."""
    try:
        "".join(fields).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def csv_reader(text: IO[str]) -> Any:
    """A strict ``csv.reader``: a quote that is never closed, or text right after a closing
    quote, raises :class:`csv.Error` instead of silently swallowing the following rows."""
    allow_long_csv_fields()
    return csv.reader(text, strict=True)


def csv_error_message(error: csv.Error, first_line: int, last_line: int) -> str:
    """What a strict reader's error means, for the record that starts on ``first_line``.

    >>> csv_error_message(csv.Error("unexpected end of data"), 4, 9)[:48]
    'a quoted field opened on line 4 is never closed '
    """
    reason = str(error)
    if "unexpected end of data" in reason:
        return (
            f"a quoted field opened on line {first_line} is never closed (lines "
            f"{first_line}–{last_line} not read); close or remove the quote"
        )
    if "expected after" in reason:
        span = (
            f"line {first_line}" if last_line == first_line else f"lines {first_line}–{last_line}"
        )
        return (
            f"unbalanced quotes: a quoted field is followed by other text ({reason}; {span} "
            "not read); double the quotes inside quoted fields"
        )
    return f"unreadable CSV ({reason})"


def _csv_rows(path: Path, handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv_reader(text)
    start = 1
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header row)") from None
        check_header(path, header)
        start = reader.line_num + 1
        for fields in reader:
            if fields and not (len(fields) == 1 and not fields[0].strip()):
                if len(fields) != len(header):
                    raise InputError(
                        f"{path}:{start}: {len(fields)} fields, the header has {len(header)}"
                    )
                if has_surrogates(fields):
                    raise InputError(f"{path}:{start}: not UTF-8; re-encode the file as UTF-8")
                yield start, dict(zip(header, fields, strict=True))
            start = reader.line_num + 1
    except csv.Error as error:
        message = csv_error_message(error, start, reader.line_num)
        raise InputError(f"{path}:{start}: {message}") from None


# --- safe outputs ---------------------------------------------------------------------------

PathArg = str | os.PathLike[str] | None
"""A path given on the command line, or ``None`` when the option was not used."""


def _real(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(os.fspath(path)))


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def safe_outputs(
    inputs: Mapping[str, PathArg], outputs: Mapping[str, PathArg], *, require_folder: bool = True
) -> None:
    """Refuse outputs that would destroy data, before anything is written.

    ``inputs`` and ``outputs`` map an argument's name (``"FILE"``, ``"--dataset"``,
    ``"--output"``) to its path, or ``None`` when it was not given. An output is refused with a
    one-line :class:`InputError` when it resolves (symbolic links followed, hard links compared)
    to one of the inputs, lies inside an input folder, is the same file as another output, or
    (with ``require_folder``, for outputs that are not created with their parents) its folder
    does not exist.

    >>> import tempfile, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp()) / "preds.jsonl"
    >>> _ = data.write_text("{}\\n", encoding="utf-8")
    >>> try:
    ...     safe_outputs({"FILE": data}, {"--output": data})
    ... except InputError as error:
    ...     print(str(error).split(": ", 1)[1])
    --output is the input FILE; refusing to overwrite an input (choose another path)
    """
    real_inputs = [(name, _real(path)) for name, path in inputs.items() if path is not None]
    seen: list[tuple[str, Path]] = []
    for name, path in outputs.items():
        if path is None:
            continue
        real = _real(path)
        for input_name, input_path in real_inputs:
            if _same_file(real, input_path):
                raise InputError(
                    f"{path}: {name} is the input {input_name}; refusing to overwrite an input "
                    "(choose another path)"
                )
            if input_path.is_dir() and real.is_relative_to(input_path):
                raise InputError(
                    f"{path}: {name} lies inside the input folder {input_name} ({input_path}); "
                    "refusing to write into an input (choose another path)"
                )
        for other_name, other in seen:
            if _same_file(real, other):
                raise InputError(
                    f"{path}: {name} and {other_name} are the same file; give each output its "
                    "own path"
                )
        if require_folder and not real.parent.is_dir():
            raise InputError(f"{path}: {name}: the folder {real.parent} does not exist")
        seen.append((name, real))


@functools.cache
def _umask() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; rename it to ``path`` on success.

    The temporary file lies in the target's folder (so the rename is atomic) and is removed when
    the ``with`` block raises, so a failed or interrupted command leaves an existing ``path`` as
    it was. Text is written with ``errors="backslashreplace"``: a lone surrogate from JSON text
    becomes the escape ``\\udXXX`` (valid inside a JSON string) instead of an error. A
    symbolic link is written through (its target is replaced), and the target keeps its mode.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> _ = path.write_text("old", encoding="utf-8")
    >>> try:
    ...     with atomic_output(path) as handle:
    ...         _ = handle.write("new, half written")
    ...         raise RuntimeError("the run failed")
    ... except RuntimeError:
    ...     pass
    >>> path.read_text(encoding="utf-8")
    'old'
    >>> with atomic_output(path) as handle:
    ...     _ = handle.write("new")
    >>> path.read_text(encoding="utf-8"), sorted(p.name for p in path.parent.iterdir())
    ('new', ['out.txt'])
    """
    target = _real(path)
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        if binary:
            handle: IO[Any] = os.fdopen(descriptor, "wb")
        else:
            handle = os.fdopen(
                descriptor, "w", encoding=encoding, newline=newline, errors="backslashreplace"
            )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary folder beside ``path`` to fill; renamed to ``path`` on success.

    ``path`` must not exist or be an empty folder (:class:`InputError` otherwise, before anything
    is written); a failed run removes the temporary folder and leaves ``path`` untouched. Missing
    parent folders are created.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "synthetic"
    >>> with atomic_directory(root) as folder:
    ...     _ = (folder / "SYNTHETIC.md").write_text("synthetic", encoding="utf-8")
    >>> sorted(p.name for p in root.iterdir())
    ['SYNTHETIC.md']
    """
    target = _real(path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(
            f"{path}: exists and is not an empty folder; give a new folder (nothing was written)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())
        if target.exists():
            target.rmdir()
        os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
