"""The plugin manager and engine registry the extraction tests read documents with."""

from __future__ import annotations

import pytest

from core.plugins import EngineRegistry, TimetablerPluginManager, make_plugin_manager


@pytest.fixture(scope="session")
def pm() -> TimetablerPluginManager:
    return make_plugin_manager()


@pytest.fixture(scope="session")
def registry(pm: TimetablerPluginManager) -> EngineRegistry:
    return EngineRegistry.from_plugins(pm)
