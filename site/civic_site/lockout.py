"""The login lockout's authentication backend (django-axes), listed first in settings."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuse a locked-out client before any password is checked.

    A login without a request (a shell, the test client's ``login``) has no client address to
    count or lock out; axes would raise, so it is left to the next backends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
