"""Data that migrations publish and that must never change: each module is frozen once a migration uses it.

Django's migration loader reads only the modules beside this package, so nothing here is taken for a migration.
"""
