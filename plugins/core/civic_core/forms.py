"""Forms of the resident's own pages (``civic_core.urls``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureConfirmationForm(forms.Form):
    """The person proves it is them before their account goes: their password, or, for an
    account without one (signed in through an identity provider), their username typed out."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
        else:
            self.fields["username"] = forms.CharField(
                label=_("Your username"),
                help_text=_("Type %(username)s to confirm.") % {"username": user.get_username()},
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="invalid")
        return password

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username != self.user.get_username():
            raise forms.ValidationError(_("This is not your username."), code="invalid")
        return username
