"""Timetabler core: the app, domain models, hook specs, plugin manager, pipeline and extraction."""

import pluggy

hookimpl = pluggy.HookimplMarker("timetabler")
