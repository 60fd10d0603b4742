"""Settings of the test suite, in one place.

`full` is the reference site with every plugin; `<plugin>_only` is a bare Wagtail site where that
plugin is the only one installed (no `home`, no `civic_site`, no other plugin).
"""
