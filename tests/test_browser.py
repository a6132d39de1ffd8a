"""The editor's path in a real browser: write and publish an article, then read it as the public."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Tag
from tests.browsers import ARTIFACTS, CHROMIUM, open_page
from tests.helpers import image_bytes, make_author, make_theme

HEADLINE = "Le Sénat adopte la réforme des retraites en première lecture"
PASSWORD = "un-mot-de-passe-solide-42"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
)


def pick_autocomplete(page, container, search):
    """Open a select2 widget, type as an editor would, and choose the matching option."""
    container.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=search).click()


def test_an_editor_publishes_an_article_that_readers_find(
    live_server, transactional_db, unhashed_static, browser, django_user_model, tmp_path
):
    django_user_model.objects.create_superuser("redaction", "redaction@example.org", PASSWORD)
    anne, marc = make_author(name="Anne Dupré"), make_author(name="Marc Olivier")
    theme = make_theme(name="Parlement")
    Tag.objects.create(name="Sénat", slug="senat")
    photo = tmp_path / "hemicycle.jpg"
    photo.write_bytes(image_bytes(width=1600, height=900))

    editor = open_page(browser, errors=[])
    editor.goto(f"{live_server.url}/admin/")
    editor.fill("#id_username", "redaction")
    editor.fill("#id_password", PASSWORD)
    editor.get_by_role("button", name="Connexion").click()
    expect(editor.locator("#site-name")).to_contain_text("Séance publique")

    # The photo goes to the media library first, with its alt text; articles pick it there.
    editor.goto(f"{live_server.url}/admin/images/image/add/")
    editor.set_input_files("#id_file", photo)
    editor.fill("#id_alt_text", "L’hémicycle du Sénat pendant le vote")
    editor.locator(".submit-row").last.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(editor.locator(".messagelist .success")).to_contain_text("a été ajouté")

    editor.goto(f"{live_server.url}/admin/articles/article/add/")
    editor.fill("#id_headline", HEADLINE)
    editor.fill("#id_standfirst", "Les sénateurs ont voté le texte dans la nuit de jeudi.")
    editor.locator(".field-body .tiptap").fill("Le texte a été adopté par 195 voix contre 112.")
    pick_autocomplete(editor, editor.locator(".field-theme"), "Parlement")
    editor.fill("#id_tags", "Sénat, Retraites")
    pick_autocomplete(editor, editor.locator("#bylines-0"), "Anne")
    editor.get_by_text("Ajouter un objet Signature supplémentaire").click()
    pick_autocomplete(editor, editor.locator("#bylines-1"), "Marc")
    editor.fill("#id_bylines-1-position", "1")
    pick_autocomplete(editor, editor.locator(".field-lead_image"), "hemicycle")
    editor.select_option("#id_status", label="Publié")  # Article.clean() dates it now.
    submit_row = editor.locator(".submit-row").last
    submit_row.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(editor.locator(".messagelist .success")).to_contain_text("est publié : il est en ligne")
    article = Article.objects.get()
    assert [byline.author for byline in article.bylines.all()] == [anne, marc]
    assert article.theme == theme
    assert sorted(article.tags.names()) == ["Retraites", "Sénat"]
    assert article.is_live

    reader_errors = []
    reader = open_page(browser, errors=reader_errors)
    for url in ["/", theme.get_absolute_url(), anne.get_absolute_url(), marc.get_absolute_url()]:
        reader.goto(live_server.url + url)
        expect(reader.get_by_role("link", name=HEADLINE).first).to_be_visible()

    reader.get_by_role("link", name=HEADLINE).first.click()
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    expect(reader.locator(".article__bylines")).to_contain_text("Anne Dupré et Marc Olivier")
    lead_image = reader.locator(".article__image img")
    expect(lead_image).to_have_attribute("alt", "L’hémicycle du Sénat pendant le vote")
    # At 1280 px the 46rem column picks the 800 px copy, in WebP; naturalWidth is 0 if broken.
    expect(lead_image).to_have_js_property("complete", True)
    assert lead_image.evaluate("image => image.naturalWidth") > 0
    current_src = lead_image.evaluate("image => image.currentSrc")
    assert re.search(r"/renditions/hemicycle-[0-9a-f]{16}-jpg-full-800\.", current_src), current_src
    ARTIFACTS.mkdir(exist_ok=True)
    reader.screenshot(path=ARTIFACTS / "article_page.png", full_page=True)

    assert reader_errors == []
