from core import hookimpl

TIMETABLER_HOOK_API = 2


@hookimpl
def pipeline_event(event: object) -> None:
    return None
