"""Write files so a crash or a full disk never leaves a half-written result.

Each file goes to a temp file in the same folder and is renamed over the
target only when every file of the set is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from icap_coder.errors import IcapError


def _usual_mode(handle: int, target: Path) -> None:
    """mkstemp makes 0600 files; give the result the mode a plain open() would, or the replaced file's."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(handle, mode)


class FileSet:
    """Collects temp files; `commit()` renames them all into place, `discard()` removes them."""

    def __init__(self, folder: Path, last: str | None = None):
        self.folder = folder
        self.last = last  # the file renamed after all others: readers trust the set only when it vouches for it
        self._pending: list[tuple[Path, Path]] = []

    @contextmanager
    def open(self, name: str, newline: str | None = None) -> Iterator:
        target = self.folder / name
        handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        _usual_mode(handle, target)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._pending.append((Path(temp), target))

    def commit(self) -> list[Path]:
        for temp, target in sorted(self._pending, key=lambda pair: pair[1].name == self.last):
            os.replace(temp, target)
        done = [target for _, target in self._pending]
        self._pending.clear()
        return done

    def discard(self) -> None:
        for temp, _ in self._pending:
            temp.unlink(missing_ok=True)
        self._pending.clear()


@contextmanager
def file_set(folder: Path, last: str | None = None) -> Iterator[FileSet]:
    """All-or-nothing writing of several files into `folder` (created if missing); `last` is renamed last."""
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IcapError(f"cannot create output folder ({exc.strerror}); choose another --out",
                        file=str(folder)) from None
    files = FileSet(folder, last)
    try:
        yield files
    except BaseException as exc:
        files.discard()
        if created and not any(folder.iterdir()):
            folder.rmdir()  # a failed run leaves no trace, not even an empty folder
        if isinstance(exc, OSError):
            raise IcapError(f"cannot write output ({exc.strerror}); nothing was changed",
                            file=str(folder)) from None
        raise
    files.commit()


def clean_leftovers(folder: Path, names: tuple[str, ...]) -> None:
    """Remove the temp files a killed run left behind; call it only while holding the folder's lock."""
    for name in names:
        for temp in folder.glob(f".{name}.*.tmp"):
            temp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """One file, all or nothing: a temp file beside it, renamed over it when complete."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IcapError(f"cannot create folder ({exc.strerror})", file=str(folder)) from None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise IcapError(f"cannot write here ({exc.strerror})", file=str(path)) from None
    try:
        _usual_mode(handle, path)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise IcapError(f"cannot write ({exc.strerror}); the file was not changed", file=str(path)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
