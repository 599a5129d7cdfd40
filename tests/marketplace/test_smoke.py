from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_home_answers_in_each_language(client):
    for language in ("ar", "fr", "en"):
        response = client.get(f"/{language}/")
        assert response.status_code == HTTPStatus.OK
        assert f'lang="{language}"'.encode() in response.content


@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [
        ("ar", "rtl", ["الكتالوج", "التعاونيات", "تسجيل الدخول", "بحث"]),
        ("fr", "ltr", ["Catalogue", "Coopératives", "Se connecter", "Rechercher"]),
        ("en", "ltr", ["Catalog", "Cooperatives", "Log in", "Search"]),
    ],
)
def test_pages_speak_the_language_of_their_address(client, language, direction, words):
    for path in ("", "catalog/", "cooperatives/", "accounts/login/"):
        page = client.get(f"/{language}/{path}").content.decode()

        assert f'<html lang="{language}" dir="{direction}">' in page
        for word in words:
            assert word in page, (path, word)
