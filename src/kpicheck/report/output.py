"""Writing files the way a report should be written: whole or not at all, and through, not over.

The payload goes to a temporary file next to the file written and is renamed
over it only when complete, so an interrupted run never leaves half a report,
and an input file is never the target. ``-o`` writes through what it names: a
symbolic link's target is the file replaced (the link stays a link), and a
device or a pipe (``/dev/stdout``, ``/dev/null``, a FIFO) is written to as it
is, never renamed over: as root, replacing ``/dev/null`` would break the system.
Whatever the operating system refuses (a read-only folder, a full disk) is one
``OutputError`` naming the file, not a traceback.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from kpicheck.errors import OutputError, Problem


def write_atomically(
    target: Path, write: Callable[[IO[Any]], None], inputs: Iterable[Path] = (), binary: bool = False
) -> None:
    """Call ``write`` on a temporary file and move it over the file ``target`` names once it succeeded;
    write straight into ``target`` when it is a device or a pipe."""
    name = str(target)
    if any(_same_file(target, p) for p in inputs):
        raise OutputError(Problem.of("output.overwrites-input", name))
    try:
        info: os.stat_result | None = os.stat(target)  # through links, as opening it would go
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _cannot_write(name, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(Problem.of("output.is-folder", name))
    if info is not None and _written_in_place(target, info):
        _write_in_place(target, write, binary)
        return
    # Through symbolic links: the temporary file goes beside the file that is replaced.
    real = Path(os.path.realpath(target))
    folder = real.parent
    if not folder.is_dir():
        raise OutputError(Problem.of("output.no-folder", name))
    # The name is chosen before the file is made (as mkstemp would, but known here): a signal that
    # arrives just as the file appears still finds its name to remove. 64 random bits never collide;
    # O_EXCL makes sure of it, and a file that was there already is never ours to remove.
    tmp = folder / f".{real.name}.{secrets.token_hex(8)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        handle: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            write(handle)
        os.chmod(tmp, _mode(info))
        os.replace(tmp, real)
    except FileExistsError as exc:  # only os.open raises it: the file is not ours
        raise _cannot_write(name, exc) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _cannot_write(name, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _written_in_place(target: Path, info: os.stat_result) -> bool:
    """A device, a FIFO or a socket; or a file reached through /dev or /proc (``/dev/stdout``
    redirected to a file is that file, held open by the shell: written through it, not replaced)."""
    return not stat.S_ISREG(info.st_mode) or _through_dev_or_proc(target)


def _through_dev_or_proc(target: Path) -> bool:
    """Whether ``target`` or a symbolic link on the way to its file lies in /dev or /proc."""
    path = os.path.abspath(target)
    for _ in range(40):  # the kernel's own limit on links followed
        if Path(path).parts[1:2] in (("dev",), ("proc",)):
            return True
        if not os.path.islink(path):
            return False
        path = os.path.join(os.path.dirname(path), os.readlink(path))
    return False


def _write_in_place(target: Path, write: Callable[[IO[Any]], None], binary: bool) -> None:
    try:
        handle: IO[Any] = (
            open(target, "wb") if binary else open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        with handle:
            write(handle)
    except BrokenPipeError:  # `-o /dev/stdout | head`: the reader has all it wanted, as without -o
        raise
    except OSError as exc:
        raise _cannot_write(str(target), exc) from None


def _mode(existing: os.stat_result | None) -> int:
    """The permissions of the file replaced; for a new file 0666 less the umask, as ``>`` would make it
    (the temporary file is made 0600)."""
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _cannot_write(name: str, exc: OSError) -> OutputError:
    return OutputError(Problem.of("output.cannot-write", name, reason=exc.strerror or str(exc)))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
