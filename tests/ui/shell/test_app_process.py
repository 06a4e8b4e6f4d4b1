"""The real app as a process: it starts, opens the file, and a normal or SIGTERM exit releases it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), **extra}


def test_app_opens_the_file_and_quits_cleanly(sample_path: Path, tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), str(sample_path)], capture_output=True,
                         text=True, timeout=120, env=_env(tmp_path, PERSONA_WORKBENCH_AUTOQUIT_MS="300"))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert not storage.lock_path(sample_path).exists()


def test_sigterm_closes_normally_and_releases_the_lock(sample_path: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), str(sample_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path))
    try:
        deadline = time.monotonic() + 60
        while not storage.lock_path(sample_path).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert storage.lock_path(sample_path).exists(), "the app never opened the file"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert not storage.lock_path(sample_path).exists()
