"""Token authentication for front-ends and scripts: POST username and password, get a token."""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class TokenEndpoint(ObtainAuthToken):
    # Guessing passwords through the API is slowed down like through the login form.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
