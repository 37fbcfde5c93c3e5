"""Piccolo's configuration, built from Timetabler's settings (PICCOLO_CONF=core.piccolo_conf)."""

from piccolo.conf.apps import AppRegistry

from core.db.engine import make_engine
from core.settings import get_settings

DB = make_engine(get_settings())
APP_REGISTRY = AppRegistry(apps=["core.db.piccolo_app"])
