"""Errors of the energy package; each names the bad input and what is valid instead."""

from __future__ import annotations

from ..errors import TokbenchError


class UnknownEnergyModelError(TokbenchError, ValueError, LookupError):
    """A model id that the energy catalog does not list."""


class UnknownRegionError(TokbenchError, ValueError, LookupError):
    """A region code or name without grid data."""


class UnknownHardwareError(TokbenchError, ValueError, LookupError):
    """A hardware profile name that is not bundled."""


class EnergyDataError(TokbenchError, ValueError):
    """A bundled or user-given energy table with a missing or malformed field."""
