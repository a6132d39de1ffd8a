"""Logins are throttled per user name and address, in French, for a cool-off period."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")


@pytest.fixture
def editors():
    User = get_user_model()
    for username in ("editeur", "claire"):
        User.objects.create_user(username, password="le-bon-mot-de-passe", is_staff=True)


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def is_logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_thirty_wrong_passwords_lock_that_user_from_that_address(editors):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        statuses = [log_in(attacker, "editeur", f"essai-{n}").status_code for n in range(30)]
        assert statuses[:4] == [200] * 4  # the login form, saying the password is wrong
        assert set(statuses[5:]) == {429}
        response = log_in(attacker, "editeur", "le-bon-mot-de-passe")
        assert response.status_code == 429
        assert "Connexion suspendue" in response.text and "15 minutes" in response.text
        assert "editeur" in response.text

        # Another editor, from another address, still logs in; so does this editor elsewhere.
        assert is_logged_in(
            log_in(Client(REMOTE_ADDR="198.51.100.4"), "claire", "le-bon-mot-de-passe")
        )
        assert is_logged_in(
            log_in(Client(REMOTE_ADDR="198.51.100.4"), "editeur", "le-bon-mot-de-passe")
        )

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert is_logged_in(log_in(attacker, "editeur", "le-bon-mot-de-passe"))


def test_the_client_address_comes_from_the_configured_header_only(editors, settings):
    # Without a configured header, a forged X-Forwarded-For changes nothing: still one pair.
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(5):
        log_in_from = {"HTTP_X_FORWARDED_FOR": f"10.0.0.{n}"}
        client.post(LOGIN, {"username": "editeur", "password": "faux"}, **log_in_from)
    assert log_in(client, "editeur", "le-bon-mot-de-passe").status_code == 429

    # Behind a front server, its header names the client: two clients, two pairs.
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        proxy.post(
            LOGIN,
            {"username": "claire", "password": "faux"},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
        )
    other = proxy.post(
        LOGIN,
        {"username": "claire", "password": "le-bon-mot-de-passe", "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert is_logged_in(other)
    locked = proxy.post(
        LOGIN,
        {"username": "claire", "password": "le-bon-mot-de-passe"},
        HTTP_X_FORWARDED_FOR="5.6.7.8, 203.0.113.9",  # what the client sent first is ignored
    )
    assert locked.status_code == 429
