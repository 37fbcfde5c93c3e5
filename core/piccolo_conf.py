"""Piccolo's configuration, built from Timetabler's settings (PICCOLO_CONF=core.piccolo_conf)."""

from piccolo.conf.apps import AppRegistry

from core.db.engine import make_engine
from core.plugin_selection import plugin_piccolo_apps
from core.settings import get_settings

DB = make_engine(get_settings())
# Plugins may add their own tables: `timetabler migrate` runs their migrations after ours.
APP_REGISTRY = AppRegistry(apps=["core.piccolo_app", *plugin_piccolo_apps()])
