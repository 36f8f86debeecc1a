"""python -m tokbench: the command line (see tokbench.cli)."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
