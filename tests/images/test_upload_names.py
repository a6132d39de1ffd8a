"""Uploads are stored under names of ours: short in bytes, unguessable, without the sent path."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Author
from images.models import Image
from tests.helpers import image_bytes, make_author, make_image

pytestmark = pytest.mark.django_db


def test_an_upload_named_with_300_accented_characters_is_stored_under_a_short_name(
    admin_client,
):
    name = "é" * 300 + ".jpg"  # 602 bytes in UTF-8: more than any file system allows
    response = admin_client.post(
        reverse("admin:images_image_add"),
        {
            "file": SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg"),
            "alt_text": "Un hémicycle",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert len(image.file.name.encode()) < 100
    assert image.file.storage.exists(image.file.name)


def test_uploads_are_stored_under_unguessable_names(admin_client):
    make_image("x.php.png")  # through the model: the name is chosen at storage
    stored = Image.objects.get().file.name
    assert re.fullmatch(r"images/\d{4}/\d{2}/x-php-[0-9a-f]{16}\.png", stored), stored
    author = make_author(name="Anne Dupré")
    author.photo = SimpleUploadedFile("../../portrait.jpg", image_bytes(), "image/jpeg")
    author.save()
    assert re.fullmatch(r"authors/\d{4}/portrait-[0-9a-f]{16}\.jpg", author.photo.name)
    assert Author.objects.get().photo.storage.exists(author.photo.name)
