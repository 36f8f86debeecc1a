"""`tokbench serve`: options reach the settings, and bad ones stop it before uvicorn starts."""

from __future__ import annotations

import os
import sys

import pytest

from tokbench.cli import main
from tokbench.service import command


def test_bad_setting_is_a_usage_error(capsys, monkeypatch) -> None:
    monkeypatch.setenv("TOKBENCH_MAX_TEXTS", "many")
    assert main(["serve"]) == 2
    assert "TOKBENCH_MAX_TEXTS='many' is not an integer" in capsys.readouterr().err


def test_flags_override_the_environment(monkeypatch) -> None:
    seen: dict = {}

    class FakeUvicorn:
        @staticmethod
        def run(app: str, **kw) -> None:
            seen.update(kw, app=app)

    monkeypatch.setitem(sys.modules, "uvicorn", FakeUvicorn)
    # setenv for every variable serve() writes, so that monkeypatch restores them afterwards
    monkeypatch.setenv("TOKBENCH_PORT", "9000")
    monkeypatch.setenv("TOKBENCH_HOST", "127.0.0.2")
    monkeypatch.setenv("TOKBENCH_WORKERS", "1")
    monkeypatch.setenv("TOKBENCH_LOG_LEVEL", "info")
    assert main(["serve", "--port", "9100", "--workers", "2", "--log-level", "warning"]) == 0
    assert seen == {
        "app": "tokbench.service.app:create_app_from_env",
        "factory": True,
        "host": "127.0.0.2",
        "port": 9100,
        "workers": 2,
        "log_level": "warning",
    }
    # the workers build their app from the environment: the flags were passed on through it
    assert os.environ["TOKBENCH_PORT"] == "9100"
    assert os.environ["TOKBENCH_WORKERS"] == "2"


def test_unknown_log_level_is_refused_by_the_parser() -> None:
    with pytest.raises(SystemExit) as e:
        command.main(["--log-level", "loud"])
    assert e.value.code == 2
