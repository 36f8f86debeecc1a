"""python -m tokbench.service [--host H] [--port P] [--workers N] [--log-level L]"""

from __future__ import annotations

from .command import main

raise SystemExit(main())
