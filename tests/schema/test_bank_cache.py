"""The bank cache: parsed banks kept by content hash, damaged entries rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.schema import _bank_cache as bankcache
from kitgen.schema.loading import _loaded_banks, load_bank

from ..conftest import REPO


def test_bank_cache_round_trip_and_corrupt_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KITGEN_CACHE_DIR", str(tmp_path / "cache"))
    bank_path = REPO / "banks" / "ai-ml.yaml"
    raw = bank_path.read_bytes()
    _loaded_banks.clear()
    cold = load_bank(bank_path).bank
    entries = list((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 1
    assert bankcache.get(raw) == cold
    _loaded_banks.clear()
    warm = load_bank(bank_path)
    assert warm.bank == cold
    assert warm.doc.locate(("questions", 0, "id"))[0] > 1  # locations still available
    entries[0].write_bytes(b'{"bank": "truncated')
    assert bankcache.get(raw) is None
    assert not entries[0].exists()  # a corrupt entry is dropped, then rebuilt
    _loaded_banks.clear()
    assert load_bank(bank_path).bank == cold
    assert entries[0].exists()
    monkeypatch.setenv("KITGEN_NO_CACHE", "1")
    assert bankcache.get(raw) is None
