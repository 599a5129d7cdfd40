import re
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from marketplace.models import User
from tests.factories import EmailAddressFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "souk-test-password"
NEW_PASSWORD = "Zellige-Fes-2024!"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


def account(**fields) -> User:
    """A user with a verified address and PASSWORD, able to log in."""
    user = UserFactory(**fields)
    user.save()  # UserFactory sets the password after its save and skips saving again
    return EmailAddressFactory(user=user).user


@pytest.fixture
def verified_user(db) -> User:
    return account()


def link_in(mail) -> str:
    """The path of the one link in a mail."""
    urls = re.findall(r"https?://\S+", mail.body)
    assert len(urls) == 1, mail.body
    return urlsplit(urls[0]).path


def logged_in_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def sign_up(client, email: str, *, language: str = "en"):
    return client.post(
        f"/{language}/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def log_in(client, email: str, password: str, *, path: str = "/en/accounts/login/"):
    return client.post(path, {"login": email, "password": password})


def test_signup_mails_a_link_that_confirms_the_address_and_logs_in(client, mailoutbox):
    response = sign_up(client, "amina@example.com")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert logged_in_id(client) is None
    user = User.objects.get(email="amina@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    [mail] = mailoutbox
    assert mail.to == ["amina@example.com"]
    assert mail.subject.startswith("[Souk] ")
    assert "Hello from Souk!" in mail.body

    confirm_page = client.get(link_in(mail))
    assert confirm_page.status_code == HTTPStatus.OK
    assert b"amina@example.com" in confirm_page.content
    response = client.post(link_in(mail))

    assert response.status_code == HTTPStatus.FOUND
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in_id(client) == str(user.pk)


def test_signup_remembers_the_language_and_mails_in_it(client, mailoutbox):
    sign_up(client, "youssef@example.com", language="fr")

    user = User.objects.get(email="youssef@example.com")
    assert user.language == "fr"
    [mail] = mailoutbox
    assert "Bonjour" in mail.body  # allauth's French catalog
    assert link_in(mail).startswith("/fr/accounts/confirm-email/")


def test_an_unverified_address_cannot_log_in(client, mailoutbox):
    sign_up(client, "khadija@example.com")
    other_browser = client.__class__()

    response = log_in(other_browser, "khadija@example.com", NEW_PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert logged_in_id(other_browser) is None
    assert len(mailoutbox) == 1  # within the 3-minute cooldown, no second link

    cache.clear()  # the cooldown has passed
    log_in(other_browser, "khadija@example.com", NEW_PASSWORD)

    assert logged_in_id(other_browser) is None
    assert len(mailoutbox) == 2  # this login attempt mailed a fresh link


def test_a_verified_user_logs_in_with_email_and_password(client, verified_user):
    response = log_in(client, verified_user.email.upper(), PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/"
    assert logged_in_id(client) == str(verified_user.pk)


def test_wrong_password_shows_the_form_again_with_an_error(client, verified_user):
    response = log_in(client, verified_user.email, "not-the-password")

    assert response.status_code == HTTPStatus.OK
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert 'role="alert"' in response.content.decode()
    assert logged_in_id(client) is None


def test_too_many_failed_logins_refuse_even_the_right_password(client, verified_user):
    for _attempt in range(5):
        log_in(client, verified_user.email, "not-the-password")

    response = log_in(client, verified_user.email, PASSWORD)

    # allauth answers with the form again and a form-wide error, not a 429.
    assert response.status_code == HTTPStatus.OK
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert logged_in_id(client) is None


def test_password_reset_mail_leads_to_a_new_password_that_logs_in(
    client, verified_user, mailoutbox
):
    response = client.post("/en/accounts/password/reset/", {"email": verified_user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/accounts/password/reset/done/"
    [mail] = mailoutbox
    assert mail.to == [verified_user.email]

    # allauth moves the key out of the URL into the session, then shows the form.
    form_page = client.get(link_in(mail), follow=True)
    assert form_page.status_code == HTTPStatus.OK
    assert b'name="password1"' in form_page.content
    form_url = form_page.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/accounts/password/reset/key/done/"

    assert log_in(client.__class__(), verified_user.email, PASSWORD).status_code == (HTTPStatus.OK)
    browser = client.__class__()
    assert log_in(browser, verified_user.email, NEW_PASSWORD).status_code == HTTPStatus.FOUND
    assert logged_in_id(browser) == str(verified_user.pk)


def test_reset_link_used_twice_says_it_no_longer_works(client, verified_user, mailoutbox):
    client.post("/en/accounts/password/reset/", {"email": verified_user.email})
    link = link_in(mailoutbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert response.status_code == HTTPStatus.OK
    assert "This link no longer works" in response.content.decode()


def test_signup_errors_sit_beside_their_field(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "not-an-email", "password1": NEW_PASSWORD, "password2": "different"},
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert not User.objects.exists()
    assert '<label for="id_email">' in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert "You must type the same password each time." in html
    assert re.search(
        r'<input[^>]+name="password2"[^>]+aria-describedby="[^"]*id_password2_error', html
    )


@pytest.mark.parametrize(
    "path",
    [
        "/{lang}/accounts/login/",
        "/{lang}/accounts/signup/",
        "/{lang}/accounts/password/reset/",
        "/{lang}/accounts/password/reset/done/",
        "/{lang}/accounts/confirm-email/",
        "/{lang}/accounts/confirm-email/not-a-key/",
    ],
)
@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_account_pages_render_in_the_site_frame(client, path, lang, direction):
    response = client.get(path.format(lang=lang))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert 'class="site-header"' in html
    assert 'id="account-title"' in html


@pytest.mark.parametrize(
    "path", ["/en/accounts/password/change/", "/en/accounts/email/", "/en/accounts/logout/"]
)
def test_account_management_pages_render_for_a_logged_in_user(client, verified_user, path):
    client.force_login(verified_user)

    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    assert 'id="account-title"' in response.content.decode()


def test_password_change_keeps_the_user_logged_in_with_the_new_password(
    client, verified_user, mailoutbox
):
    client.force_login(verified_user)

    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)
    assert [mail.to for mail in mailoutbox] == [[verified_user.email]]  # the notification


def test_logout_is_a_post(client, verified_user):
    client.force_login(verified_user)

    response = client.post("/en/accounts/logout/")

    assert response.status_code == HTTPStatus.FOUND
    assert logged_in_id(client) is None


class TestAdminLogin:
    def test_admin_login_page_sends_to_the_site_login(self, client):
        response = client.get("/en/admin/login/?next=/en/admin/")

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2F"

    def test_posting_credentials_to_the_admin_login_logs_nobody_in(self, client):
        staff = account(is_staff=True, is_superuser=True)

        response = log_in(client, staff.email, PASSWORD, path="/en/admin/login/")

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/en/accounts/login/")
        assert logged_in_id(client) is None

    def test_staff_logs_in_through_the_site_login_and_reaches_the_admin(self, client):
        staff = account(is_staff=True, is_superuser=True)

        response = client.post(
            "/en/accounts/login/?next=/en/admin/",
            {"login": staff.email, "password": PASSWORD, "next": "/en/admin/"},
        )

        assert response["Location"] == "/en/admin/"
        assert client.get("/en/admin/").status_code == HTTPStatus.OK

    def test_rate_limits_protect_the_admin_too(self, client):
        staff = account(is_staff=True, is_superuser=True)
        for _attempt in range(5):
            log_in(client, staff.email, "guess")

        response = log_in(client, staff.email, PASSWORD)

        assert "Too many failed login attempts" in response.content.decode()
        assert client.get("/en/admin/").status_code == HTTPStatus.FOUND

    def test_a_logged_in_buyer_is_refused_the_admin(self, client, verified_user):
        client.force_login(verified_user)

        assert client.get("/en/admin/login/").status_code == HTTPStatus.FORBIDDEN
        assert client.get("/en/admin/", follow=True).status_code == HTTPStatus.FORBIDDEN
