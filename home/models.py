"""Editorial page types of the reference site (mulhousecestvous-style content)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.preview import SwitchablePreviewMixin

CARD_RENDITION = "fill-800x450"


class IntroMixin(SwitchablePreviewMixin, models.Model):
    """Intro, teaser image and previews shared by every editorial page."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    teaser_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("teaser image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    intro_panels = [FieldPanel("intro"), FieldPanel("teaser_image")]
    intro_api_fields = [
        APIField("intro"),
        APIField("teaser_image"),
        APIField(
            "teaser_image_card",
            serializer=ImageRenditionField(CARD_RENDITION, source="teaser_image"),
        ),
    ]
    intro_search_fields = [index.SearchField("intro")]

    class Meta:
        abstract = True


class HomePage(IntroMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        *IntroMixin.intro_panels,
        FieldPanel("body"),
    ]
    api_fields = [APIField("hero_title"), *IntroMixin.intro_api_fields, APIField("body")]
    search_fields = Page.search_fields + IntroMixin.intro_search_fields

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live().public().descendant_of(self).order_by("-date")[:3]
        )
        context["upcoming_events"] = (
            EventPage.objects.live()
            .public()
            .descendant_of(self)
            .filter(start__gte=timezone.now())
            .order_by("start")[:3]
        )
        return context


class StandardPage(IntroMixin, Page):
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [*IntroMixin.intro_panels, FieldPanel("body")]
    api_fields = [*IntroMixin.intro_api_fields, APIField("body")]
    search_fields = (
        Page.search_fields + IntroMixin.intro_search_fields + [index.SearchField("body")]
    )

    class Meta:
        verbose_name = _("standard page")


class AgencyPage(IntroMixin, Page):
    """The participation agency: who it is, where to find it, how to reach it."""

    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)

    max_count = 1
    content_panels = Page.content_panels + [
        *IntroMixin.intro_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Contact"),
        ),
    ]
    api_fields = [
        *IntroMixin.intro_api_fields,
        APIField("body"),
        APIField("address"),
        APIField("phone"),
        APIField("email"),
        APIField("opening_hours"),
    ]
    search_fields = (
        Page.search_fields + IntroMixin.intro_search_fields + [index.SearchField("body")]
    )

    class Meta:
        verbose_name = _("participation agency page")


class NewsIndexPage(IntroMixin, Page):
    subpage_types = ["home.NewsPage"]
    content_panels = Page.content_panels + IntroMixin.intro_panels
    api_fields = IntroMixin.intro_api_fields
    page_size = 10

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date")
        context["news"] = Paginator(news, self.page_size).get_page(request.GET.get("page"))
        return context


class NewsPage(IntroMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        *IntroMixin.intro_panels,
        FieldPanel("body"),
    ]
    api_fields = [APIField("date"), *IntroMixin.intro_api_fields, APIField("body")]
    search_fields = (
        Page.search_fields
        + IntroMixin.intro_search_fields
        + [
            index.SearchField("body"),
            index.FilterField("date"),
        ]
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class EventIndexPage(IntroMixin, Page):
    subpage_types = ["home.EventPage"]
    content_panels = Page.content_panels + IntroMixin.intro_panels
    api_fields = IntroMixin.intro_api_fields

    class Meta:
        verbose_name = _("event index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().public().child_of(self)
        today = timezone.now()
        context["upcoming_events"] = events.filter(start__gte=today).order_by("start")
        context["past_events"] = events.filter(start__lt=today).order_by("-start")[:20]
        return context


class EventPage(IntroMixin, Page):
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    registration_url = models.URLField(_("registration link"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["home.EventIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("start"),
                FieldPanel("end"),
                FieldPanel("place"),
                FieldPanel("registration_url"),
            ],
            heading=_("When and where"),
        ),
        *IntroMixin.intro_panels,
        FieldPanel("body"),
    ]
    api_fields = [
        APIField("start"),
        APIField("end"),
        APIField("place"),
        APIField("registration_url"),
        *IntroMixin.intro_api_fields,
        APIField("body"),
    ]
    search_fields = (
        Page.search_fields
        + IntroMixin.intro_search_fields
        + [
            index.SearchField("place"),
            index.SearchField("body"),
            index.FilterField("start"),
        ]
    )

    class Meta:
        verbose_name = _("event")

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """What every page's header and footer show."""

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    footer_text = RichTextField(_("footer text"), blank=True, features=["bold", "italic", "link"])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    panels = [
        FieldPanel("tagline"),
        FieldPanel("footer_text"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
    ]

    class Meta:
        verbose_name = _("site identity")
