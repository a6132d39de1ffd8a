"""Rich-text bodies: what the server keeps of whatever the browser sends."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from articles.forms import BODY_EXTENSIONS
from articles.models import Article
from articles.text import ALLOWED_TAGS, sanitize_html
from tests.articles.test_article_admin import add_article, article_form
from tests.helpers import make_article, make_author, make_image, make_theme

# What Word puts on the clipboard for two paragraphs, an empty line, a bulleted list and a
# link, as Chrome hands it to a page (trimmed of its longer <style> block).
WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15 (filtered)"><title>Compte rendu</title>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml>
<![endif]--><style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm;
font-family:"Calibri",sans-serif;} --></style></head>
<body lang=FR style='tab-interval:35.4pt'><!--StartFragment--><p class=MsoNormal
style='margin-bottom:0cm'><b><span style='font-size:14.0pt;mso-bidi-font-size:11.0pt'>Le
Sénat adopte le budget</span></b><o:p></o:p></p><p class=MsoNormal><span
style='mso-fareast-language:FR'>Les sénateurs ont voté <i>à main levée</i> le texte<span
style='mso-spacerun:yes'>  </span>après deux jours.<o:p></o:p></span></p><p
class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoListParagraphCxSpFirst
style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]--><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times
New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><!--[endif]-->Pour : 195<o:p></o:p>
</p><p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Contre :
112<o:p></o:p></p><p class=MsoNormal><font face="Arial" color="#1F497D">Source\x0b : <a
href="https://www.senat.fr/scrutin" target="_blank">scrutin public</a></font></p>
<!--EndFragment--></body></html>"""

# Google Docs wraps a copied passage in a <b> that is not bold.
GOOGLE_DOCS_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5c1e2f3a-7fff">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;"><span style="font-size:11pt;'
    'font-family:Arial;color:#000000;font-weight:400;">Le texte a été adopté.</span></p><br>'
    '<p dir="ltr"><span style="font-size:11pt;">Vote solennel mardi.</span></p></b>'
    '<br class="Apple-interchange-newline">'
)


def test_a_word_paste_keeps_its_words_and_loses_its_junk():
    assert sanitize_html(WORD_PASTE) == (
        "<p><b>Le\nSénat adopte le budget</b></p>"
        "<p>Les sénateurs ont voté <i>à main levée</i> le texte  après deux jours.</p>"
        "<p>Pour : 195\n</p><p>\nContre :\n112</p>"
        '<p>Source : <a href="https://www.senat.fr/scrutin" rel="noopener noreferrer">'
        "scrutin public</a></p>"
    )


def test_a_google_docs_paste_is_not_bold_all_through():
    assert sanitize_html(GOOGLE_DOCS_PASTE) == (
        "<p>Le texte a été adopté.</p><p>Vote solennel mardi.</p>"
    )


def test_sanitizing_twice_changes_nothing():
    # The editor loads the stored body and sends it back: it must come back the same.
    once = sanitize_html(WORD_PASTE)
    assert sanitize_html(once) == once


@pytest.mark.parametrize(
    "empty",
    ["<p></p>", "<p> </p>", "<p>&nbsp;</p>", "<p><br></p>", '<p class="cta"></p>', "<h2></h2>"],
)
def test_empty_paragraphs_are_removed(empty):
    assert sanitize_html(f"<p>Un</p>{empty}<p>Deux</p>") == "<p>Un</p><p>Deux</p>"


@pytest.mark.parametrize(
    "href",
    [
        "https://www.senat.fr/",
        "http://example.org/a?b=1&c=2",
        "//example.org/protocol-relative",
        "https://localhost.example.org/",  # only the exact host is ours
        "https:\\\\example.org/",  # browsers read backslashes as slashes
    ],
)
def test_links_to_other_sites_get_noopener(href):
    html = sanitize_html(f'<p><a href="{href}" rel="opener" target="_blank">lien</a></p>')
    link = BeautifulSoup(html, "html.parser").a
    assert link["rel"] == ["noopener", "noreferrer"]
    assert not link.has_attr("target")


@pytest.mark.parametrize(
    "href",
    [
        "/elections/senatoriales-2026/",
        "elections/",
        "#resultats",
        "http://localhost/articles/",
        "https://127.0.0.1:8000/",
        "mailto:redaction@example.org",
        "tel:+33100000000",
    ],
)
def test_links_to_our_site_and_mail_links_get_no_rel(href):
    html = sanitize_html(f'<p><a href="{href}" rel="nofollow">lien</a></p>')
    link = BeautifulSoup(html, "html.parser").a
    assert link["href"] == href
    assert not link.has_attr("rel")


def test_our_hosts_come_from_allowed_hosts(settings):
    settings.ALLOWED_HOSTS = ["seancepublique.fr", ".seancepublique.fr"]
    html = sanitize_html(
        '<p><a href="https://seancepublique.fr/a/">a</a> <a href="https://www.seancepublique.fr/">'
        'b</a> <a href="http://localhost/">c</a></p>'
    )
    assert html == (
        '<p><a href="https://seancepublique.fr/a/">a</a> <a href="https://www.seancepublique.fr/">'
        'b</a> <a href="http://localhost/" rel="noopener noreferrer">c</a></p>'
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_script_and_data_links_lose_their_address(href):
    assert sanitize_html(f'<p><a href="{href}">lien</a></p>') == "<p><a>lien</a></p>"


def test_an_empty_title_is_dropped_but_an_empty_alt_is_kept(media_root):
    html = sanitize_html(
        '<p><a href="/a/" title="">a</a> <a href="/b/" title="Le détail">b</a></p>'
        '<p><img src="/media/images/2026/01/a.jpg" alt=""></p>'
    )
    assert html == (
        '<p><a href="/a/">a</a> <a href="/b/" title="Le détail">b</a></p>'
        '<p><img src="/media/images/2026/01/a.jpg" alt=""></p>'
    )


def test_an_image_of_the_library_is_kept_in_its_figure(db):
    image = make_image()
    figure = (
        f'<figure class="figure"><img src="{image.file.url}" alt="L’hémicycle" width="800" '
        'height="450" data-file="3" style="float:left"><figcaption class="figure-caption">Le Sénat'
        "</figcaption></figure>"
    )
    assert sanitize_html(figure) == (
        f'<figure><img src="{image.file.url}" alt="L’hémicycle" width="800" height="450">'
        "<figcaption>Le Sénat</figcaption></figure>"
    )


def test_a_library_image_named_by_its_full_url_on_our_site_is_stored_by_its_path():
    html = sanitize_html('<p><img src="http://localhost:8000/media/images/2026/01/a.jpg"></p>')
    assert html == '<p><img src="/media/images/2026/01/a.jpg"></p>'


@pytest.mark.parametrize(
    "src",
    [
        "https://example.org/pixel.png",
        "//example.org/media/images/a.jpg",
        "https://example.org/media/images/a.jpg",
        "data:image/png;base64,iVBORw0KGgo=",
        "/static/newsroom/favicon.svg",
        "/media/articles/2024/01/old.jpg",  # media, but not the library's
        "/media/images/../../admin/",
        "/media/images/%2e%2e/%2e%2e/admin/",
        "javascript:alert(1)",
        "",
    ],
)
def test_an_image_from_outside_the_library_is_refused_with_its_figure(src):
    html = sanitize_html(
        f'<p>Avant</p><figure><img src="{src}" alt="x"><figcaption>Légende</figcaption></figure>'
        f'<p>Après <img src="{src}" alt="y"></p>'
    )
    assert html == "<p>Avant</p><p>Après </p>"


def test_the_editor_offers_nothing_the_sanitizer_would_remove():
    offered = allowlist_from_extensions(BODY_EXTENSIONS)
    assert offered["tags"] <= ALLOWED_TAGS
    assert offered.get("allowed_classes", {}) == {}  # the CTA class is NodeClass's, below
    assert BODY_EXTENSIONS["NodeClass"]["cssClasses"]["paragraph"]["cssClasses"] == [
        {"className": "cta", "title": "Appel à l’action"}
    ]


# Through the admin: the form's POST is sanitized before it is stored.


def test_the_admin_stores_a_pasted_body_sanitized(admin_client):
    data = article_form(theme=make_theme(), authors=[make_author()], body=WORD_PASTE)

    response = add_article(admin_client, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().body == sanitize_html(WORD_PASTE)
    assert "Mso" not in Article.objects.get().body


def test_the_admin_refuses_a_body_that_sanitizes_to_nothing(admin_client):
    data = article_form(
        theme=make_theme(), authors=[make_author()], body="<p></p><p><o:p>&nbsp;</o:p></p>"
    )

    response = add_article(admin_client, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == ["Ce champ est obligatoire."]
    assert not Article.objects.exists()


def test_the_admin_shows_the_editor_with_a_plain_text_help(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))

    soup = BeautifulSoup(response.text, "html.parser")
    textarea = soup.select_one("textarea#id_body")
    assert textarea.has_attr("data-django-prose-editor-newsroom")
    help_text = soup.select_one("#id_body_helptext")
    assert "« Appel à l’action »" in help_text.get_text()
    assert not help_text.find("p")  # the model's help text rendered <p class="cta"> as HTML
    # The module and styles are files: the CSP allows no inline script, import map included.
    assert soup.select_one('script[type="module"][src*="articles/body_editor."]')
    assert not soup.select('script[type="importmap"]')
    assert "style=" not in str(soup.select_one(".field-body"))


def test_the_change_form_loads_the_stored_body_into_the_editor(admin_client):
    article = make_article(body='<p class="cta"><a href="/elections/">&gt;&gt; La carte</a></p>')

    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    textarea = BeautifulSoup(response.text, "html.parser").select_one("textarea#id_body")
    assert textarea.get_text().strip() == article.body
