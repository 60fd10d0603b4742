"""Token authentication for front-ends and scripts: POST username and password, get a token."""

from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

from civic_core.api import CivicAPIMixin
from civic_site.middleware import lockout_response


class BoundedAuthTokenSerializer(AuthTokenSerializer):
    # As long as a username can be: django-axes records failed usernames in a 255-character
    # column, which PostgreSQL refuses to overflow.
    username = serializers.CharField(label="Username", write_only=True, max_length=150)


class TokenEndpoint(ObtainAuthToken):
    serializer_class = BoundedAuthTokenSerializer

    # Guessing passwords through the API is slowed down per address like through the login
    # forms, and each account and address is locked out after failures (django-axes).
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    # The plugins' parsers: deep, non-object or NUL-holding bodies answer 400, not 500.
    parser_classes = CivicAPIMixin.parser_classes

    def handle_exception(self, exc):
        # authenticate() received this DRF request, so django-axes flagged it rather than the
        # Django request its middleware reads: the refused login is answered here.
        if getattr(self.request, "axes_locked_out", False):
            return lockout_response(self.request)
        return super().handle_exception(exc)
