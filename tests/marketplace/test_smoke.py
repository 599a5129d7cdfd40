from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_home_answers_in_each_language(client):
    for language in ("ar", "fr", "en"):
        response = client.get(f"/{language}/")
        assert response.status_code == HTTPStatus.OK
        assert f'lang="{language}"'.encode() in response.content
