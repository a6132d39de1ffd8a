"""The body's rich-text editor in a real browser, under the admin's strict CSP."""

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from articles.models import Article
from tests.browsers import ARTIFACTS, CHROMIUM, open_page
from tests.helpers import make_article, make_author, make_image, make_theme

PASSWORD = "un-mot-de-passe-solide-42"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
)


def log_in(browser, live_server, django_user_model, errors):
    django_user_model.objects.create_superuser("redaction", "redaction@example.org", PASSWORD)
    page = open_page(browser, errors=errors)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#site-name")).to_be_visible()
    return page


def fill_the_other_fields(page):
    make_author(name="Anne Dupré")
    make_theme(name="Parlement")
    page.fill("#id_headline", "Le budget adopté")
    pick_autocomplete(page, page.locator(".field-theme"), "Parlement")
    pick_autocomplete(page, page.locator("#bylines-0"), "Anne")


def pick_autocomplete(page, container, search):
    container.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=search).click()


def save(page, message):
    page.locator(".submit-row").last.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text(message)


def next_frame(page):
    """Let TipTap's focus() run: it puts the editor's selection back on the next frame, which
    would undo keys pressed before it."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")


def select_backwards(page, text):
    for _ in text:
        page.keyboard.press("Shift+ArrowLeft")


def test_an_editor_writes_bold_text_a_link_and_a_call_to_action_with_the_toolbar(
    live_server, transactional_db, unhashed_static, browser, django_user_model
):
    errors = []
    editor = log_in(browser, live_server, django_user_model, errors)
    editor.goto(f"{live_server.url}/admin/articles/article/add/")
    body = editor.locator(".prose-editor .tiptap")
    expect(body).to_be_visible()
    expect(editor.locator("#id_body")).to_be_hidden()  # the editor writes into it
    toolbar = editor.locator(".prose-menubar")
    expect(toolbar.get_by_role("button", name="gras")).to_be_visible()

    body.click()
    editor.keyboard.type("Le Sénat a voté ")
    editor.keyboard.press("Control+b")
    editor.keyboard.type("le budget")
    editor.keyboard.press("Control+b")
    editor.keyboard.type(".")
    editor.keyboard.press("Enter")
    editor.keyboard.press("Enter")  # an empty paragraph, which the server drops
    editor.keyboard.type(">> Retrouvez le site du Sénat")
    toolbar.locator(".prose-menubar__selected", has_text="Style").click()
    editor.locator(".prose-menubar__option", has_text="Appel à l’action").click()
    expect(body.locator("p.cta")).to_have_text(">> Retrouvez le site du Sénat")
    next_frame(editor)

    select_backwards(editor, "le site du Sénat")
    toolbar.get_by_role("button", name="lien", exact=True).click()
    dialog = editor.locator("dialog.prose-editor-dialog")
    expect(dialog.get_by_role("heading")).to_have_text("Modifier le lien")
    dialog.get_by_label("URL").fill("https://www.senat.fr/")
    dialog.get_by_role("button", name="Mettre à jour").click()
    expect(body.locator("p.cta a")).to_have_text("le site du Sénat")

    fill_the_other_fields(editor)
    ARTIFACTS.mkdir(exist_ok=True)
    editor.locator(".field-body").screenshot(path=ARTIFACTS / "rich_text_editor.png")
    save(editor, "est créé (brouillon)")

    assert Article.objects.get().body == (
        "<p>Le Sénat a voté <strong>le budget</strong>.</p>"
        '<p class="cta">&gt;&gt; Retrouvez '
        '<a href="https://www.senat.fr/" rel="noopener noreferrer">le site du Sénat</a></p>'
    )
    assert errors == []  # no CSP violation, no script error


def test_an_editor_inserts_an_image_of_the_library_and_no_other(
    live_server, transactional_db, unhashed_static, browser, django_user_model
):
    image = make_image(alt_text="L’hémicycle du Sénat")
    errors = []
    editor = log_in(browser, live_server, django_user_model, errors)
    editor.goto(f"{live_server.url}/admin/articles/article/add/")
    body = editor.locator(".prose-editor .tiptap")
    body.click()
    editor.keyboard.type("Le vote.")

    for url, caption in [(image.file.url, "Le Sénat"), ("https://example.org/pixel.png", "")]:
        editor.locator(".prose-menubar").get_by_role("button", name="image").click()
        dialog = editor.locator("dialog.prose-editor-dialog")
        expect(dialog.get_by_role("heading")).to_have_text("Insérer une figure")
        dialog.get_by_label("URL de l'image").fill(url)
        dialog.get_by_label("Texte alternatif").fill("L’hémicycle")
        dialog.get_by_label("Légende").fill(caption)
        dialog.get_by_role("button", name="Insérer").click()
        expect(body.locator(f'figure img[src="{url}"]')).to_be_visible()
        next_frame(editor)
        editor.keyboard.press("ArrowDown")  # out of the caption, below the figure
        editor.keyboard.press("Enter")
    fill_the_other_fields(editor)
    save(editor, "est créé (brouillon)")

    # The library's image, written out whole by images/embeds.py; the other one is gone.
    saved = BeautifulSoup(Article.objects.get().body, "html.parser")
    assert saved.p.get_text() == "Le vote."
    (figure,) = saved.select("figure")
    assert figure.img["src"] == image.renditions("full").src
    assert figure.img["srcset"] == image.renditions("full").jpeg_srcset
    assert (figure.img["alt"], figure.figcaption.get_text()) == ("L’hémicycle", "Le Sénat")
    # The CSP kept the browser from loading the outside image even in the editor.
    assert errors
    assert all("img-src" in error and "example.org/pixel.png" in error for error in errors)


def test_the_editor_shows_a_saved_body_and_keeps_it_when_nothing_changes(
    live_server, transactional_db, unhashed_static, browser, django_user_model
):
    image = make_image()
    body = (
        "<h2>Le vote</h2><p><em>Adopté</em> à 195 voix.</p>"
        "<blockquote><p>« Un texte équilibré »</p></blockquote><ul><li>un</li></ul>"
        f'<figure><img src="{image.file.url}" alt="L’hémicycle"><figcaption>Le Sénat'
        "</figcaption></figure>"
    )
    article = make_article(body=body)
    body = article.body  # its library image written out whole (srcset, size)
    errors = []
    editor = log_in(browser, live_server, django_user_model, errors)

    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    shown = editor.locator(".prose-editor .tiptap")
    expect(shown.locator("h2")).to_have_text("Le vote")
    expect(shown.locator("figure img")).to_have_attribute("src", image.renditions("full").src)
    expect(shown.locator("figcaption")).to_have_text("Le Sénat")
    save(editor, "est enregistré")

    article.refresh_from_db()
    assert article.body == body
    assert errors == []
