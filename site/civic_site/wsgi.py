"""WSGI entry point.

    gunicorn --pythonpath site,plugins/participation,plugins/consultation,plugins/budget \
        civic_site.wsgi
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_site.settings")
application = get_wsgi_application()
