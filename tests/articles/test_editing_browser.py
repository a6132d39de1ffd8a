"""Two editors, a closed tab and a restore, in a real browser under the admin's CSP."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from tests.browsers import ARTIFACTS, CHROMIUM, axe_violations, open_page
from tests.helpers import make_article, make_author, make_image, make_theme

PASSWORD = "un-mot-de-passe-solide-42"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
)


def editor_page(browser, live_server, django_user_model, username, errors, name=("", "")):
    call_command("setup_roles", verbosity=0)
    user = django_user_model.objects.create_user(
        username, password=PASSWORD, is_staff=True, first_name=name[0], last_name=name[1]
    )
    user.groups.add(Group.objects.get(name="Éditeur"))
    page = open_page(browser, errors=errors)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#site-name")).to_be_visible()
    return page


def save(page):
    page.locator(".submit-row").last.get_by_role("button", name="Enregistrer", exact=True).click()


def test_a_new_articles_text_typed_then_closed_is_offered_back(
    live_server, transactional_db, unhashed_static, browser, django_user_model
):
    errors = []
    page = editor_page(browser, live_server, django_user_model, "marc", errors)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "La réforme du scrutin municipal")
    page.locator(".field-body .tiptap").fill("Les sénateurs examinent le texte mardi. " * 30)
    expect(page.locator(".body-stats")).to_have_text("180 mots · 1 min de lecture")
    page.fill("#id_seo_title", "x" * 65)
    expect(page.locator("#id_seo_title_length")).to_contain_text("au-delà de 60")
    expect(page.locator(".autosave-status")).to_contain_text("Brouillon enregistré", timeout=10_000)
    assert axe_violations(page) == []

    # Leaving a changed form asks first; the tab is then closed anyway.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == ["beforeunload"]
    assert Article.objects.count() == 0 and Article.history.count() == 0

    page = page.context.new_page()
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    offer = page.locator(".draft-offer")
    expect(offer).to_contain_text("La réforme du scrutin municipal")
    offer.get_by_role("button", name="Reprendre ce brouillon").click()
    expect(page.locator("#id_headline")).to_have_value("La réforme du scrutin municipal")
    expect(page.locator(".field-body .tiptap")).to_contain_text("Les sénateurs examinent")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    assert Article.objects.count() == 0 and Article.history.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "draft_restored.png", full_page=True)
    assert errors == []


def test_two_editors_keep_both_changes_and_restore_in_one_click(
    live_server, transactional_db, unhashed_static, browser, django_user_model
):
    errors = []
    anne_author, paul_author = make_author(name="Anne Dupré"), make_author(name="Paul Roy")
    article = make_article(
        headline="Le budget en commission",
        standfirst="Le chapô d’origine.",
        theme=make_theme(name="Finances"),
        authors=[anne_author],
        tags=["Budget"],
    )
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    claire = editor_page(
        browser, live_server, django_user_model, "claire", errors, ("Claire", "Vasseur")
    )
    paul = editor_page(browser, live_server, django_user_model, "paul", errors)
    claire.goto(url)
    paul.goto(url)
    expect(paul.locator(".presence")).to_contain_text("Claire Vasseur modifie cet article depuis")
    assert axe_violations(paul) == []

    # Claire changes the standfirst, Paul the headline: Paul's save keeps both.
    claire.fill("#id_standfirst", "Le chapô de Claire.")
    save(claire)
    expect(claire.locator(".messagelist .success")).to_be_visible()
    paul.fill("#id_headline", "Le budget adopté en commission")
    save(paul)
    expect(paul.locator(".messagelist")).to_contain_text("gardés avec les vôtres")
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == (
        "Le budget adopté en commission",
        "Le chapô de Claire.",
    )

    # Both change the standfirst: Paul sees both texts, and Claire's stays until he chooses.
    claire.goto(url)
    paul.goto(url)
    claire.fill("#id_standfirst", "Le chapô revu par Claire.")
    save(claire)
    expect(claire.locator(".messagelist .success")).to_be_visible()
    paul.fill("#id_standfirst", "Le chapô revu par Paul.")
    save(paul)
    merge = paul.locator(".merge")
    expect(merge).to_contain_text("Le chapô revu par Claire.")
    expect(merge).to_contain_text("Le chapô revu par Paul.")
    assert Article.objects.get(pk=article.pk).standfirst == "Le chapô revu par Claire."
    assert axe_violations(paul) == []
    paul.screenshot(path=ARTIFACTS / "merge_conflict.png", full_page=True)
    merge.get_by_label("Garder leur version").check()
    save(paul)
    expect(paul.locator(".messagelist .success")).to_be_visible()
    assert Article.objects.get(pk=article.pk).standfirst == "Le chapô revu par Claire."

    # Paul signs too and retags, then restores the first version in one click.
    first = article.history.order_by("history_date").first()
    article = Article.objects.get(pk=article.pk)
    article.bylines.create(author=paul_author, position=1)
    article.tags.set(["Commission"])
    article.save()
    paul.goto(f"{url.removesuffix('change/')}history/{first.history_id}/")
    expect(paul.locator("#content-main")).to_contain_text("Anne Dupré")
    paul.get_by_role("button", name="Rétablir cette version").click()
    expect(paul.locator(".messagelist .success")).to_contain_text("rétablie")
    article = Article.objects.get(pk=article.pk)
    assert article.headline == "Le budget en commission"
    assert [byline.author.name for byline in article.bylines.all()] == ["Anne Dupré"]
    assert list(article.tags.names()) == ["Budget"]
    assert errors == []


def test_the_media_library_picker_fills_the_body_and_the_lead_image(
    live_server, transactional_db, unhashed_static, browser, django_user_model
):
    errors = []
    image = make_image(
        "hemicycle.jpg", alt_text="L’hémicycle du Sénat", caption="Le vote", credit="AFP"
    )
    make_image("palais.jpg", alt_text="Le palais du Luxembourg")
    article = make_article(headline="Le vote du budget", body="<p>Le texte.</p>")
    page = editor_page(browser, live_server, django_user_model, "marc", errors)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".field-body .tiptap p").click()

    with page.expect_popup() as opened:
        page.get_by_role("button", name="Insérer une image de la médiathèque").click()
    picker = opened.value
    picker.get_by_label("Chercher une image").fill("hémicycle")
    picker.get_by_role("button", name="Chercher").click()
    expect(picker.locator(".picker__choice")).to_have_count(1)
    assert axe_violations(picker) == []
    with picker.expect_event("close"):
        picker.locator(".picker__choice").click()
    figure = page.locator(".field-body .tiptap figure")
    expect(figure.locator("img")).to_have_attribute("alt", "L’hémicycle du Sénat")
    expect(figure).to_contain_text("Le vote — AFP")

    with page.expect_popup() as opened:
        page.get_by_role("button", name="Choisir dans la médiathèque").click()
    picker = opened.value
    with picker.expect_event("close"):
        picker.locator(".picker__choice", has_text="hemicycle").click()
    expect(page.locator(".field-lead_image .select2-selection__rendered")).to_contain_text(
        "hemicycle"
    )
    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(pk=article.pk)
    assert article.lead_image == image
    assert 'srcset="' in article.body and 'width="1600"' in article.body
    assert "L’hémicycle du Sénat" in article.body and "Le vote — AFP" in article.body
    assert errors == []
