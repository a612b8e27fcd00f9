"""Writing a report file: whole or not at all, never over an input, an ordinary file's permissions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from kpicheck.errors import OutputError
from kpicheck.report.output import write_atomically


def writes(text: str) -> Any:
    def write(out: IO[Any]) -> None:
        out.write(text)

    return write


def breaks_after(text: str, error: BaseException) -> Any:
    """A writer that has written part of the report when it fails."""

    def write(out: IO[Any]) -> None:
        out.write(text)
        out.flush()
        raise error

    return write


@pytest.fixture
def umask() -> Iterator[Any]:
    """Set the process umask for one test, and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(old)


def test_writes_the_whole_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    write_atomically(target, writes("unit,status\nXã A,met\n"))
    assert target.read_text(encoding="utf-8") == "unit,status\nXã A,met\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_text_is_utf8_with_newlines_as_written(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    write_atomically(target, writes("Xã Bum Nưa\r\nĐạt\n"))
    assert target.read_bytes() == "Xã Bum Nưa\r\nĐạt\n".encode()


def test_binary_payload(tmp_path: Path) -> None:
    target = tmp_path / "nop.xlsx"
    write_atomically(target, writes(b"PK\x03\x04\x00"), binary=True)
    assert target.read_bytes() == b"PK\x03\x04\x00"


def test_a_failing_writer_leaves_no_file_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(target, breaks_after('{"summary": ', RuntimeError("disk full")))
    assert list(tmp_path.iterdir()) == []


def test_a_failing_writer_keeps_the_previous_report_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    with pytest.raises(RuntimeError):
        write_atomically(target, breaks_after('{"new": ', RuntimeError("stop")))
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_ctrl_c_while_writing_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, breaks_after("unit,", KeyboardInterrupt()))
    assert list(tmp_path.iterdir()) == []


def test_an_existing_report_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    write_atomically(target, writes("new\n"), inputs=[tmp_path / "data.csv"])
    assert target.read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize("spelling", ["same", "dotdot", "symlink"])
def test_never_over_an_input_file_however_it_is_named(tmp_path: Path, spelling: str) -> None:
    data = tmp_path / "data.csv"
    data.write_text("unit,indicator,year,value\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    target = {
        "same": data,
        "dotdot": tmp_path / "sub" / ".." / "data.csv",
        "symlink": tmp_path / "link.csv",
    }[spelling]
    if spelling == "symlink":
        target.symlink_to(data)
    called = []
    with pytest.raises(OutputError, match="input file") as error:
        write_atomically(target, lambda out: called.append(out), inputs=[tmp_path / "other.csv", data])
    assert str(target) in str(error.value)
    assert called == []  # nothing was even started
    assert data.read_text(encoding="utf-8") == "unit,indicator,year,value\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.csv"
    with pytest.raises(OutputError, match="folder") as error:
        write_atomically(target, writes("x"))
    assert str(target) in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_a_bare_file_name_is_written_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomically(Path("report.csv"), writes("x\n"))
    assert (tmp_path / "report.csv").read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_permissions_are_an_ordinary_files(tmp_path: Path, umask: Any, mask: int, mode: int) -> None:
    """0666 less the umask, as `>` in a shell would make it, not the temporary file's 0600."""
    umask(mask)
    target = tmp_path / "report.csv"
    write_atomically(target, writes("x\n"))
    assert target.stat().st_mode & 0o777 == mode
