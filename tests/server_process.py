"""Start the real service (`python -m tokbench.service`) on a free loopback port.

Shared by the real-server and browser tests and by bench/service_load.py. The child imports
the same tokbench as this process (an installed one, or the source tree with its built
extension), and is always stopped on exit from the `with` block.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import tokbench

HOST = "127.0.0.1"


def free_port() -> int:
    """A port that was free a moment ago on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@contextmanager
def running_server(
    *, workers: int = 1, env: Mapping[str, str] | None = None, start_timeout_s: float = 60.0
) -> Iterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) of a freshly started server process."""
    child_env = dict(os.environ)
    child_env.update(env or {})
    package_root = str(Path(tokbench.__file__).resolve().parents[1])
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, child_env.get("PYTHONPATH", "")) if p
    )
    port = free_port()
    url = f"http://{HOST}:{port}"
    cmd = [sys.executable, "-m", "tokbench.service", "--host", HOST, "--port", str(port)]
    cmd += ["--workers", str(workers), "--log-level", "warning"]
    with tempfile.TemporaryFile() as log:
        # `python -m` puts the working directory first on sys.path: run from the package's
        # parent, or a source checkout without the built extension would shadow it.
        proc = subprocess.Popen(
            cmd, env=child_env, cwd=package_root, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + start_timeout_s
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-3000:]
                    msg = f"service did not start on {url} (exit {proc.poll()}):\n{output}"
                    raise RuntimeError(msg)
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
