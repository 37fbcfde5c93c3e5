"""docs/plugins.md documents every hook with its exact signature, and nothing that is not a hook."""

from __future__ import annotations

import inspect
import re

from core import hookspecs
from core.plugins import hook_names
from tests.plugin_kit.install import ROOT

DOC = ROOT / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(\w+)(\(.*\) -> .+)`$", re.M)


def signature(name: str) -> str:
    # hookspecs uses postponed annotations: each one is the source text, which the doc shows as is.
    return str(inspect.signature(getattr(hookspecs, name))).replace("'", "")


def documented() -> dict[str, str]:
    return {name: sig for name, sig in HEADING.findall(DOC.read_text())}


def test_every_hook_is_documented_with_its_exact_signature() -> None:
    docs = documented()
    assert set(hook_names()) - set(docs) == set(), "hooks missing from docs/plugins.md"
    for name in hook_names():
        assert docs[name] == signature(name), f"docs/plugins.md shows {name}{docs[name]}"


def test_the_docs_show_no_hook_that_does_not_exist() -> None:
    assert set(documented()) - set(hook_names()) == set()


def test_first_result_hooks_are_marked_so() -> None:
    text = DOC.read_text()
    for name in hook_names():
        section = text.split(f"### `{name}(", 1)[1].split("\n### ", 1)[0]
        first = getattr(hookspecs, name).timetabler_spec["firstresult"]
        assert ("*First result.*" in section) == first, name
        assert "```python" in section, f"the docs give no example for {name}"
