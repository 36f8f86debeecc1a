"""Prices: the bundled price book, your own book, and the cost of a request."""

from __future__ import annotations

from .book import AmbiguousModelError as AmbiguousModelError
from .book import bundled_book as bundled_book
from .book import load_book as load_book
from .book import offers_at as offers_at
from .book import read_book as read_book
from .book import resolve as resolve
from .compare import CompareRow as CompareRow
from .compare import compare_counts as compare_counts
from .compare import compare_models as compare_models
from .engine import count_text as count_text
from .engine import estimate_cost as estimate_cost
from .fx import MissingFxRateError as MissingFxRateError
from .messages import MessageCount as MessageCount
from .messages import count_messages as count_messages
from .planner import cheapest_window as cheapest_window
from .planner import monthly_allowance as monthly_allowance
from .result import CostEstimate as CostEstimate
from .result import LineItem as LineItem
from .schema import Book as Book
from .schema import FxRate as FxRate
from .schema import Offer as Offer
from .trend import price_trend as price_trend
