"""What the three civic plugins share: errors and their API mapping, role groups, schedules,
CSV exports, e-mail delivery, admin links and append-only records.

It is a Django app without models (listed in ``INSTALLED_APPS`` for its translations). Plugins
may import it; it imports no plugin.
"""
