"""Energy, carbon and electricity cost of LLM requests, and the cost of running your own.

Public API: estimate_energy (one request to a model), token_factory (cost to produce 1M
tokens on rented accelerators), and the catalogs behind them. Methodology and sources:
README "Energy" and tokbench/data/energy/MANIFEST.md.
"""

from __future__ import annotations

from .errors import EnergyDataError as EnergyDataError
from .errors import UnknownEnergyModelError as UnknownEnergyModelError
from .errors import UnknownHardwareError as UnknownHardwareError
from .errors import UnknownRegionError as UnknownRegionError
from .estimate import METHODOLOGY_VERSION as METHODOLOGY_VERSION
from .estimate import EnergyEstimate as EnergyEstimate
from .estimate import estimate_energy as estimate_energy
from .factory import FactoryEstimate as FactoryEstimate
from .factory import estimated_throughput as estimated_throughput
from .factory import token_factory as token_factory
from .grid import Region as Region
from .grid import Tariff as Tariff
from .grid import list_regions as list_regions
from .grid import region_info as region_info
from .hardware import list_hardware as list_hardware
from .params import ModelSize as ModelSize
from .params import list_energy_models as list_energy_models
from .params import model_size as model_size
from .ranges import Range as Range
