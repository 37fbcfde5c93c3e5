"""Database: tables, engine, migrations and tenant scoping."""

import os

# Piccolo finds its engine through this module; set it before any table is used, in every process.
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
