"""Text rules shared by the articles app: slugs from French headlines, and safe HTML bodies."""

import re
from html import unescape

import nh3
from slugify import slugify

# What an editor may put in a body. Everything else is removed, and attributes
# other than these are dropped, so no script, style or event handler survives.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "blockquote", "q", "cite", "ul", "ol", "li", "figure", "figcaption", "img",
    "abbr", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# A paragraph of class "cta" is a call to action (see the reference page, element 8).
ALLOWED_CLASSES = {"p": {"cta"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Control characters other than tab and newlines break feeds and XML.
# "L’État" gives "l-etat", not "letat".
APOSTROPHES = [["’", " "], ["'", " "], ["ʼ", " "]]
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sanitize_html(html):
    """Reduce an HTML body to the allow-list; relative links are kept, javascript: is not."""
    html = CONTROL_CHARACTERS.sub("", html or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html):
    """The words of an HTML fragment, with a space wherever a tag stood."""
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", html or "")).split())


def slugify_fr(text, *, max_length=0):
    """ASCII slug of French (or any) text: "L’État" → "l-etat", "Выборы" → "vybory"."""
    return slugify(text or "", max_length=max_length, word_boundary=True, replacements=APOSTROPHES)


def unique_slug(text, queryset, *, fallback="article", max_length=200):
    """A slug for `text` (accents transliterated) that no row of `queryset` has yet."""
    base = slugify_fr(text, max_length=max_length - 4) or fallback
    slug, serial = base, 2
    while queryset.filter(slug=slug).exists():
        slug = f"{base}-{serial}"
        serial += 1
    return slug
