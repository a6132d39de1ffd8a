"""Text rules shared by the articles app: slugs from French headlines, and safe HTML bodies."""

import re
from html import escape, unescape
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.http.request import validate_host
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
    # What a library image needs (images/embeds.py writes srcset, sizes and the size), no more.
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# A paragraph of class "cta" is a call to action (see the reference page, element 8).
ALLOWED_CLASSES = {"p": {"cta"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed with their content, not just unwrapped: a pasted document's <title>, Word's
# <o:p> (an empty paragraph marker holding a no-break space) and its <xml> settings.
CLEAN_CONTENT_TAGS = {"script", "style", "title", "xml", "o:p"}
# Pasted from Word, a list item's bullet and a field's fallback text sit between
# conditional comments, outside them: <!--[if !supportLists]-->·&nbsp;<!--[endif]-->, or
# <![if !supportLists]>…<![endif]> in a saved .htm file. Google Docs wraps a whole paste in
# a <b id="docs-internal-guid-…"> that is not bold; its stray end tag is dropped by nh3.
OFFICE_JUNK = re.compile(
    r"<!--\[if [^\]]*\]-->.*?<!--\[endif\]-->"
    r"|<!\[if [^\]]*\]>.*?<!\[endif\]>"
    r'|<b\b[^>]*\bid=["\']?docs-internal-guid-[^>]*>',
    re.DOTALL | re.IGNORECASE,
)
# nh3's output is regular: lowercase tags, every attribute double-quoted, with "<", ">" and
# '"' escaped inside values. These patterns rely on it and run on that output only.
LINK_TAG = re.compile(r"<a\b([^>]*)>")
IMG_TAG = re.compile(r"<img\b([^>]*)>")
SRC_OR_HREF = re.compile(r'\b(?:src|href)="([^"]*)"')
SRCSET = re.compile(r'\s*\bsrcset="([^"]*)"')
SIZES = re.compile(r'\bsizes="([^"]*)"')
LOADING = re.compile(r'\bloading="([^"]*)"')
# sizes="(min-width: 48rem) 46rem, 100vw": media conditions and lengths, nothing else.
SAFE_SIZES = re.compile(r"[\w\s().,:%-]*")
FIGURE_WITHOUT_IMAGE = re.compile(r"<figure>(?:(?!<img\b|</figure>).)*</figure>", re.DOTALL)
# The editor leaves <p></p> for an empty line, Word <p>&nbsp;</p>, Google Docs a <br>
# between paragraphs.
EMPTY_BLOCK = re.compile(r'<(p|h2|h3|h4)(?: class="cta")?>(?:\s|&nbsp;|<br>)*</\1>')
STRAY_BREAK = re.compile(r"(^|</(?:p|h2|h3|h4|ul|ol|blockquote|figure)>)(?:\s*<br>)+|(?:<br>\s*)+$")
OUTSIDE_LINK_REL = "noopener noreferrer"
# Control characters other than tab and newlines break feeds and XML.
# "L’État" gives "l-etat", not "letat".
APOSTROPHES = [["’", " "], ["'", " "], ["ʼ", " "]]
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sanitize_html(html):
    """Reduce an HTML body to the allow-list; relative links are kept, javascript: is not.

    Office-paste wrappers go but their words stay, empty paragraphs go, links to other
    sites get rel="noopener noreferrer", and images must come from the media library.
    """
    html = CONTROL_CHARACTERS.sub("", html or "")
    html = OFFICE_JUNK.sub("", html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,  # set below, on links to other sites only
        attribute_filter=drop_empty_title,
        strip_comments=True,
    )
    html = html.replace(' class=""', "")  # what allowed_classes leaves of class="MsoNormal"
    html = LINK_TAG.sub(mark_outside_link, html)
    html = IMG_TAG.sub(keep_library_image, html)
    html = FIGURE_WITHOUT_IMAGE.sub("", html)
    html = EMPTY_BLOCK.sub("", html)
    return STRAY_BREAK.sub(r"\1", html).strip()


def drop_empty_title(tag, attribute, value):
    # The editor's link dialog sends title="" when left blank. An empty alt="" stays: it
    # marks an image as decorative.
    return None if attribute == "title" and not value.strip() else value


def mark_outside_link(match):
    attributes = match.group(1)
    href = SRC_OR_HREF.search(attributes)
    if href and is_outside_url(unescape(href.group(1))):
        attributes += f' rel="{OUTSIDE_LINK_REL}"'
    return f"<a{attributes}>"


def keep_library_image(match):
    """An <img> stays only if its file is in the media library, named by its path.

    Its srcset stays if every one of its files is in the library too; sizes and loading
    stay if they hold what those attributes may hold.
    """
    attributes = match.group(1)
    src = SRC_OR_HREF.search(attributes)
    path = src and library_path(unescape(src.group(1)))
    if not path:
        return ""
    attributes = attributes.replace(src.group(0), f'src="{escape(path)}"')
    srcset = SRCSET.search(attributes)
    if srcset:
        candidates = [item.split() for item in unescape(srcset.group(1)).split(",")]
        paths = [library_path(item[0]) if item else None for item in candidates]
        if all(paths) and all(len(item) <= 2 for item in candidates):
            kept = ", ".join(
                " ".join([p, *item[1:]]) for p, item in zip(paths, candidates, strict=True)
            )
            attributes = attributes.replace(srcset.group(0), f' srcset="{escape(kept)}"')
        else:
            attributes = attributes.replace(srcset.group(0), "")
    sizes = SIZES.search(attributes)
    if sizes and not SAFE_SIZES.fullmatch(unescape(sizes.group(1))):
        attributes = attributes.replace(sizes.group(0), "")
    loading = LOADING.search(attributes)
    if loading and loading.group(1) not in ("lazy", "eager"):
        attributes = attributes.replace(loading.group(0), "")
    return f"<img{attributes}>"


def own_hosts():
    # "*" would make every site ours; a wildcard host is only for development.
    return [host for host in settings.ALLOWED_HOSTS if host != "*"]


def is_outside_url(url):
    """Whether a link leads to another site: http(s) or protocol-relative, to a foreign host."""
    # As a browser reads it: tabs and newlines dropped, "https:\\host" is "https://host".
    url = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/")
    try:
        parts = urlsplit(url)
    except ValueError:
        return True  # nh3 passed it, but a browser may still read a host into it
    if parts.scheme not in ("", "http", "https") or not parts.netloc:
        return False  # relative, mailto: or tel:
    return not validate_host(parts.hostname or "", own_hosts())


def library_path(url):
    """The media library path of an image URL (`/media/images/…`), or None if it is not one.

    A full URL on one of our hosts is stored as its path, so the body works on every host.
    """
    prefix = f"{settings.MEDIA_URL}images/"
    url = url.strip()
    # Browsers resolve "..", "%2e%2e" and backslashes: such a path could leave the library.
    if ".." in url or "%2e" in url.lower() or "\\" in url:
        return None
    if url.startswith(prefix):
        return url  # also covers a MEDIA_URL on another host (an object store)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or is_outside_url(url):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith(prefix) else None


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
