"""The plugin kit: contract suites, the pytest plugin for plugin authors and the plugin template.

Kept light: importing the kit imports nothing heavy, so the pytest plugin costs a test session
nothing until one of its fixtures or contracts is used.
"""
