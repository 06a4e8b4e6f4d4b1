"""The command line: every command, exit statuses, one clear line for bad input, no tracebacks."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import main as cli
from workbench.schema.fileformat import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_info_check_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.workbench"
    assert call(capsys, "new", str(path), "--sample")[0] == 0
    code, out, err = call(capsys, "info", str(path))
    assert code == 0, err
    assert "Tillwright" in out and "Personas      4" in out and f"schema version {SCHEMA_VERSION}" in out
    assert "Held by       nobody" in out
    before = sha(path)
    code, out, err = call(capsys, "check", str(path))
    assert code == 1 and "paperwork" in out and "lingo breach" in err
    code, out, _ = call(capsys, "search", str(path), "paperwork")
    assert code == 0 and "[paperwork]" in out
    assert sha(path) == before  # read-only commands change nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.workbench"]


def test_check_exits_zero_when_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clean.workbench"
    call(capsys, "new", str(path))
    code, out, _ = call(capsys, "check", str(path))
    assert code == 0 and out.startswith("No problems") and "no lingo breaches" in out


def test_export_import_json_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "a.workbench", tmp_path / "b.workbench"
    call(capsys, "new", str(src), "--sample")
    call(capsys, "new", str(dst))
    assert call(capsys, "export", str(src), "-o", str(tmp_path / "a.json"))[0] == 0
    code, out, err = call(capsys, "import", str(dst), str(tmp_path / "a.json"))
    assert code == 0, err
    assert "Added" in out
    call(capsys, "export", str(dst), "-o", str(tmp_path / "b.json"))
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    code, out, _ = call(capsys, "import", str(dst), str(src))
    assert code == 0 and "Unchanged" in out


def test_handoff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.workbench"
    call(capsys, "new", str(src), "--sample")
    code, out, err = call(capsys, "handoff", str(src), "-o", str(tmp_path / "client.workbench"))
    assert code == 0, err and "3 personas" in out
    assert call(capsys, "handoff", str(src), "-o", str(src))[0] == 2


@pytest.mark.parametrize("args", [
    ["info"], ["frobnicate", "a", "b"], ["export", "{wb}", "-o", "{tmp}/x.txt"], ["export", "{wb}"],
    ["export", "{wb}", "-o", "{tmp}/x.json", "--persona", "Hank"],
    ["info", "{tmp}/missing.workbench"], ["info", "{tmp}"], ["info", "{tmp}/text.workbench"],
    ["import", "{wb}", "{tmp}/bad.json"], ["import", "{wb}", "{tmp}/wrongtype.json"],
    ["import", "{wb}", "{tmp}/missing.json"], ["new", "{wb}"], ["search"],
])
def test_bad_usage_and_input_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   args: list[str]) -> None:
    wb = tmp_path / "w.workbench"
    call(capsys, "new", str(wb))
    (tmp_path / "text.workbench").write_text("hello")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "wrongtype.json").write_text(json.dumps({"format": "persona-workbench", "version": 1,
                                                         "personas": [{"name": "A", "technology_comfort": "x"}]}))
    before = sha(wb)
    code, out, err = call(capsys, *[a.format(wb=wb, tmp=tmp_path) for a in args])
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("persona-workbench: "), err
    assert "Traceback" not in err
    assert sha(wb) == before


def test_wrong_type_error_names_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = tmp_path / "w.workbench"
    call(capsys, "new", str(wb))
    bad = tmp_path / "in.json"
    bad.write_text(json.dumps({"format": "persona-workbench", "version": 1,
                               "personas": [{"name": "A"}, {"name": "B", "technology_comfort": "x"}]}))
    code, _, err = call(capsys, "import", str(wb), str(bad))
    assert code == 2 and "personas[1].technology_comfort" in err


def test_help_on_every_command() -> None:
    for command in cli.COMMANDS:
        out = run(command, "--help")
        assert out.returncode == 0 and "usage:" in out.stdout, command
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("persona-workbench ")


def test_newer_file_is_refused_naming_both_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = tmp_path / "w.workbench"
    call(capsys, "new", str(wb))
    data = bytearray(wb.read_bytes())
    data[60:64] = (99).to_bytes(4, "big")
    wb.write_bytes(bytes(data))
    code, _, err = call(capsys, "info", str(wb))
    assert code == 2 and "version 99" in err and f"version {SCHEMA_VERSION}" in err


def test_subprocess_has_no_traceback_on_damaged_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.workbench"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    out = run("info", str(bad))
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.count("\n") == 1


def test_terminal_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import time

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    tty, pipe = Tty(), io.StringIO()
    bar = cli.Progress("Printing", tty)
    for done in range(0, 11):
        bar(done, 10)
    bar.finish()
    assert "100%" in tty.getvalue() and "[" in tty.getvalue()
    quiet = cli.Progress("Printing", pipe)
    quiet(5, 10)
    assert pipe.getvalue() == ""
    busy_out = Tty()
    with cli.Busy("Importing", busy_out):
        time.sleep(0.6)
    assert "Importing" in busy_out.getvalue()


def test_failed_export_does_not_promise_kept_edits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = tmp_path / "w.workbench"
    call(capsys, "new", str(wb))
    for out in ("/proc/nope.json", "/proc/nope.pdf"):
        code, _, err = call(capsys, "export", str(wb), "-o", out)
        assert code == 2 and "Could not save" in err and "edits are kept" not in err


def test_no_display_is_one_line_not_an_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), str(tmp_path / "some.workbench")],
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "no display" in out.stderr


def test_export_html_sheet_and_page_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.workbench"
    call(capsys, "new", str(path), "--sample")
    code, out, err = call(capsys, "export", str(path), "-o", str(tmp_path / "p.html"))
    assert code == 0, err
    assert "an HTML page" in out and (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    code, out, err = call(capsys, "export", str(path), "-o", str(tmp_path / "s.pdf"), "--sheet")
    assert code == 0, err
    assert "persona sheets" in out and "one-page sheets" in out
    # A budget too small for the essentials: one line naming what it needs, nothing written.
    code, _, err = call(capsys, "export", str(path), "-o", str(tmp_path / "tiny.pdf"), "--pages", "1")
    assert code == 2 and "too few" in err and not (tmp_path / "tiny.pdf").exists()
    for bad in (["-o", str(tmp_path / "x.html"), "--sheet"], ["-o", str(tmp_path / "x.json"), "--pages", "3"],
                ["-o", str(tmp_path / "x.pdf"), "--sheet", "--pages", "3"], ["-o", str(tmp_path / "x.txt")]):
        code, _, err = call(capsys, "export", str(path), *bad)
        assert code == 2 and err.count("\n") == 1, (bad, err)


def test_handoff_refuses_to_write_over_the_workbench_through_a_link(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.workbench"
    call(capsys, "new", str(path), "--sample")
    (tmp_path / "link.workbench").symlink_to(path)
    before = sha(path)
    code, _, err = call(capsys, "handoff", str(path), "-o", str(tmp_path / "link.workbench"))
    assert code == 2 and "different file" in err and sha(path) == before


def test_a_command_line_run_is_unattended(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.store.sqlite import storage

    assert not storage.unattended()
    call(capsys, "new", str(tmp_path / "x.workbench"))
    assert storage.unattended()
