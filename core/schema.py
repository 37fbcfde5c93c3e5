"""The base of every JSON shape the product reads and answers: a msgspec struct with camelCase names.

Below the API so services can take and give the same shapes (a corrected lesson, a session) without
importing the HTTP layer.
"""

from __future__ import annotations

import msgspec


class Schema(msgspec.Struct, rename="camel", kw_only=True):
    pass
