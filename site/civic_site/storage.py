"""Static files in production, with or without a `collectstatic` run."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed copies (long cache lifetimes) once `collectstatic` wrote its manifest;
    before that, the files' own names, which WhiteNoise serves from the apps' folders."""

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        return super().stored_name(name)
