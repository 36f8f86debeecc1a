"""The closed tokenizer table: loads, has every family the price book names, errors clearly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tokbench.closed import closed_families, closed_family
from tokbench.errors import UnknownNameError


def test_claude_row_matches_the_csv():
    fam = closed_family("claude_3_to_4_6")
    assert fam.proxy_encoding == "o200k_base"
    assert (fam.ratio_low, fam.ratio_central, fam.ratio_high) == (
        Decimal("1.10"),
        Decimal("1.18"),
        Decimal("1.30"),
    )
    assert fam.basis == "third-party measurement"
    assert fam.as_of == "2026-11-29"


def test_every_family_is_ordered_and_sourced():
    fams = closed_families()
    assert len(fams) == 10
    for f in fams.values():
        assert f.ratio_low <= f.ratio_central <= f.ratio_high
        assert f.basis
        assert f.source


def test_unknown_family_lists_close_names():
    with pytest.raises(KeyError) as info:
        closed_family("gemini_2")
    assert isinstance(info.value, UnknownNameError)
    assert "'gemini_2_plus'" in str(info.value)


def test_docstring_examples():
    import doctest

    import tokbench.closed

    result = doctest.testmod(tokbench.closed)
    assert result.attempted > 0
    assert result.failed == 0
