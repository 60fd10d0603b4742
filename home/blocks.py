"""StreamField blocks of the editorial pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        help_text=_("Describe the image for people who cannot see it; empty if decorative."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    def get_api_representation(self, value, context=None):
        rendition = ImageRenditionField("width-1200").to_representation(value["image"])
        return {
            "image": value["image"].pk,
            "rendition": rendition,
            "alt_text": value["alt_text"],
            "caption": value["caption"],
        }

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Author"), required=False)

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External link"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), default=_("Take part"))

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": blocks.BlockValidationError(_("Choose a page or a link."))}
            )
        return value

    def get_api_representation(self, value, context=None):
        page = value.get("page")
        return {
            "title": value["title"],
            "text": value["text"],
            "button_label": value["button_label"],
            "url": page.url if page else value["url"],
            "page": page.pk if page else None,
        }

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False)

    def get_api_representation(self, value, context=None):
        document = value["document"]
        return {
            "document": document.pk,
            "title": value["title"] or document.title,
            "url": document.url,
        }

    class Meta:
        icon = "doc-full"
        template = "home/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="home/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"],
    )
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock(label=_("Quote"))
    call_to_action = CallToActionBlock(label=_("Call to action"))
    embed = EmbedBlock(label=_("Embedded media"), template="home/blocks/embed.html")
    document = DocumentBlock(label=_("Document"))
