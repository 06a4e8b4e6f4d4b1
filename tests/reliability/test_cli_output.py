"""What the command line prints from a file is text, not terminal commands: control characters are
stripped from everything printed, snippets are bounded, and a closed pipe ends the run quietly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import main
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[2]
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31mred\x9b31m\r\x08\x00"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_workbench(path: Path, ctx: Context, big: int = 0) -> None:
    Workbench.create(path, ctx, name=f"Evil{ESCAPES}name")
    with Workbench.open(path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": f"Paperwork{ESCAPES}Hank", "role": f"CEO{ESCAPES}",
                                    "story": f"paperwork {ESCAPES} " + "paperwork " * (big // 10)}))
        wb.execute(C.CreateChannel(f"Chan{ESCAPES}nel"))


def test_search_and_info_print_no_control_characters(tmp_path: Path, ctx: Context,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil.workbench"
    hostile_workbench(path, ctx)
    for args in (["search", str(path), "paperwork"], ["info", str(path)], ["check", str(path)]):
        code = main.run_cli(args)
        out, err = capsys.readouterr()
        assert code in (0, 1), err
        assert not CONTROL.search(out.replace("\n", "").replace("\t", "")), (args, out)
        assert not CONTROL.search(err.replace("\n", "")), (args, err)
    main.run_cli(["search", str(path), "paperwork"])
    assert "Paperwork" in capsys.readouterr().out


def test_the_lock_holders_name_is_printed_clean(wb_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    storage.lock_path(wb_path).write_text(json.dumps({"user": f"ma{ESCAPES}ria", "host": "other-machine",
                                                      "pid": 1, "since": "2026-01-01T00:00:00"}))
    source = tmp_path / "in.json"
    source.write_text('{"format": "persona-workbench", "version": 1, "personas": [{"name": "P"}]}')
    assert main.run_cli(["import", str(wb_path), str(source)]) == 2
    _, err = capsys.readouterr()
    assert "other-machine" in err and err.count("\n") == 1
    assert not CONTROL.search(err.rstrip("\n")), repr(err)
    assert main.run_cli(["info", str(wb_path)]) == 0
    out, _ = capsys.readouterr()
    assert not CONTROL.search(out.replace("\n", "")), repr(out)


def test_snippets_and_titles_are_bounded(tmp_path: Path, ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.workbench"
    hostile_workbench(path, ctx, big=5_000_000)
    with Workbench.open(path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "paperwork " * 200_000}))
    assert main.run_cli(["search", str(path), "paperwork"]) == 0
    out, _ = capsys.readouterr()
    assert len(out) < 20_000
    assert max(len(line) for line in out.splitlines()) < 1000


def test_error_lines_are_bounded_and_clean(wb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"format": "persona-workbench", "version": 1,
                                  "personas": [{"name": "P", "id": f"not-a-uuid{ESCAPES}" + "x" * 1_000_000}]}))
    assert main.run_cli(["import", str(wb_path), str(source)]) == 2
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and len(err) < 2000 and not CONTROL.search(err.rstrip("\n"))


def test_a_closed_pipe_ends_quietly(tmp_path: Path, ctx: Context) -> None:
    path = tmp_path / "many.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as wb:
        for i in range(400):
            wb.execute(C.CreatePersona({"name": f"Persona {i} paperwork", "story": "paperwork " * 40}))
    proc = subprocess.Popen([sys.executable, "main.py", "search", str(path), "paperwork", "--limit", "400"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    proc.stderr.close()
    assert err == "", err
    assert proc.returncode in (0, 141)
