"""The warning a plugin author sees when their plugin uses a form of the hooks that will go.

Its own module so that every part of the plugin surface (hookspecs, the engine types, PageImage)
can raise it without importing each other."""

from __future__ import annotations


class TimetablerDeprecationWarning(DeprecationWarning):
    """A plugin implements a hook that will go; the message names what to implement instead."""
