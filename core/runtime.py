"""One process's long-lived parts: settings, plugins, engines and storage, built once on first use."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from core.db.tables import Job
from core.plugins import EngineRegistry, TimetablerPluginManager, make_plugin_manager
from core.policy import PipelineEvent
from core.settings import Settings, get_settings
from core.storage import Storage, make_storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    plugins: TimetablerPluginManager
    engines: EngineRegistry
    storage: Storage


def build_runtime(settings: Settings) -> Runtime:
    plugins = make_plugin_manager()
    return Runtime(
        settings=settings,
        plugins=plugins,
        engines=EngineRegistry.from_plugins(plugins),
        storage=make_storage(settings),
    )


@cache
def get_runtime() -> Runtime:
    return build_runtime(get_settings())


def emit(runtime: Runtime, job: Job, stage: str, status: str, detail: str | None = None) -> None:
    """Tell the plugins where a job is (the live view and the metrics listen); a failing hook is
    logged, never raised."""
    event = PipelineEvent(
        tenant_id=str(job.tenant_id),
        job_id=str(job.id),
        document_id=str(job.document_id),
        stage=stage,
        status=status,
        detail=detail,
    )
    try:
        runtime.plugins.hook.pipeline_event(event=event)
    except Exception:
        log.exception("a pipeline_event hook failed")
