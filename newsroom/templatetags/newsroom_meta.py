"""What crawlers and social networks read in a page's head: canonical URL, cards, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()

DESCRIPTION_LENGTH = 300
# As Django's json_script does: "</script>" or "<!--" in a headline stays data.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(
    context, *, title="", description="", path=None, image=None, og_type="website", robots=""
):
    """Canonical URL, Open Graph and X card of a page.

    `path` is the canonical path, the request's by default, with its page number if past the
    first; `image` is a dict with "url", "alt" and maybe "width" and "height", as
    `Article.social_image` gives. Without a title or description, crawlers read the <title>
    and the meta description.
    """
    request = context.request
    if path is None:
        path = request.path
        page = request.GET.get("page", "")
        if page.isdigit() and int(page) > 1:
            path = f"{path}?page={int(page)}"
    if image:
        image = {**image, "url": request.build_absolute_uri(image["url"])}
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": request.build_absolute_uri(path),
        "title": title,
        "description": Truncator(description).chars(DESCRIPTION_LENGTH),
        "image": image,
        "og_type": og_type,
        "robots": robots,
    }


@register.filter
def json_ld(data):
    """`data` as a <script type="application/ld+json"> block: data for crawlers, never run."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )
