"""The media library in the admin: list, forms, who uploaded and the history of every save."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from images.models import Image
from tests.images.helpers import image_form, make_image, upload


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.django_db
def test_the_list_shows_thumbnails_and_finds_an_image(admin_client):
    images = [
        make_image(title="Hémicycle", credit="AFP"),
        make_image(title="Salle des conférences", alt_text="Une salle vide"),
    ]

    listing = page(admin_client.get(reverse("admin:images_image_changelist")))
    thumbnails = [img["src"] for img in listing.select("img.image-thumbnail")]
    assert thumbnails == [image.renditions("card").jpeg[0].url for image in reversed(images)]
    assert "AFP" in listing.text

    found = page(admin_client.get(reverse("admin:images_image_changelist"), {"q": "vide"}))
    assert "Salle des conférences" in found.text
    assert "Hémicycle" not in found.select_one("#result_list").text


@pytest.mark.django_db
def test_the_change_form_shows_the_preview_and_the_focal_point(admin_client):
    image = make_image(focal_x=0.25)

    form = page(admin_client.get(reverse("admin:images_image_change", args=[image.pk])))
    preview = form.select_one(".focal-point img.focal-point-image")
    assert preview["src"] == image.renditions("full").src
    assert form.select_one("#id_focal_x")["value"] == "0.25"
    assert "Cliquez sur l’aperçu" in form.text
    assert form.select_one('script[src*="images/focal_point"]')
    # The CSP refuses style attributes: the marker is placed by the script, through the CSSOM.
    assert form.select(".focal-point [style]") == []


def test_the_add_form_accepts_only_the_four_formats(admin_client):
    form = page(admin_client.get(reverse("admin:images_image_add")))
    assert form.select_one("#id_file")["accept"] == "image/jpeg,image/png,image/webp,image/gif"
    assert form.select_one(".focal-point img[hidden]")


def test_every_save_is_recorded_with_who_and_when(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:images_image_add"), image_form(file=upload(), credit="")
    )
    assert response.status_code == 302
    image = Image.objects.get()
    response = admin_client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        image_form(credit="Sénat", focal_x="0.3"),
    )
    assert response.status_code == 302

    versions = list(image.history.all())  # newest first
    assert [version.history_type for version in versions] == ["~", "+"]
    assert [version.history_user for version in versions] == [admin_user, admin_user]
    assert [version.credit for version in versions] == ["Sénat", ""]
    assert versions[0].history_date > versions[1].history_date
    assert Image.objects.get().uploaded_by == admin_user

    history = page(admin_client.get(reverse("admin:images_image_history", args=[image.pk])))
    assert admin_user.username in history.text


@pytest.mark.django_db
def test_a_save_outside_a_request_is_recorded_without_a_user():
    image = make_image()
    assert image.history.get().history_user is None
