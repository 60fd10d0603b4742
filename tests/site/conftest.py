import pytest

from civic_site.demo_content import build_editorial_content


@pytest.fixture
def site_home(db):
    """The editorial demo site: home, agency, platform page, news, the Printemps citoyen."""
    return build_editorial_content()
