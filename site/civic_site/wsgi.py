"""WSGI entry point.

    gunicorn civic_site.wsgi \
        --pythonpath site,plugins/core,plugins/participation,plugins/consultation,plugins/budget
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_site.settings")
application = get_wsgi_application()
