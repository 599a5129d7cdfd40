from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from artisans import membership
from artisans.models import Cooperative, CooperativeStatus, Invitation, Membership, MembershipRole
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db) -> Membership:
    return MembershipFactory(
        role=MembershipRole.OWNER,
        cooperative__name="Atlas Weavers",
        user__email="fatima@example.com",
        user__language="fr",
    )


@pytest.fixture
def cooperative(owner) -> Cooperative:
    return owner.cooperative


def url(name: str, cooperative: Cooperative, *args) -> str:
    return reverse(f"workspace:{name}", args=[cooperative.pk, *args])


def accept_url(invitation: Invitation) -> str:
    return reverse("workspace:accept_invitation", args=[invitation.token])


def state() -> dict:
    return {
        "memberships": sorted(Membership.objects.values_list("pk", "user_id", "role")),
        "invitations": sorted(
            Invitation.objects.values_list("pk", "email", "role", "token", "accepted_at")
        ),
    }


# --- inviting ---------------------------------------------------------------------------


def test_the_owner_invites_by_mail_in_their_own_language(
    client, owner, cooperative, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", cooperative), {"email": " Youssef@Example.com ", "role": "manager"}
        )

    assert response.status_code == HTTPStatus.FOUND
    invitation = Invitation.objects.get()
    assert invitation.email == "youssef@example.com"
    assert invitation.role == MembershipRole.MANAGER
    assert invitation.invited_by == owner.user
    assert len(invitation.token) >= 40
    assert invitation.accepted_at is None
    (mail,) = mailoutbox
    assert mail.to == ["youssef@example.com"]
    assert "Atlas Weavers" in mail.subject
    # The inviter writes in French: the link opens the French page.
    assert f"/fr/workspace/invitations/{invitation.token}/" in mail.body
    assert "fatima@example.com" in mail.body
    page = client.get(response["Location"]).content.decode()
    assert "Invitation sent to youssef@example.com." in page
    assert "youssef@example.com" in page


def test_inviting_again_renews_the_open_invitation_with_a_new_link(
    client, owner, cooperative, mailoutbox, django_capture_on_commit_callbacks
):
    old = InvitationFactory(
        cooperative=cooperative,
        email="youssef@example.com",
        created_at=timezone.now() - timedelta(days=20),
    )
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    client.force_login(owner.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invite", cooperative), {"email": "youssef@example.com", "role": "owner"})

    renewed = Invitation.objects.get()
    assert renewed.pk == old.pk
    assert renewed.token != old.token
    assert renewed.role == MembershipRole.OWNER
    assert renewed.created_at > timezone.now() - timedelta(minutes=1)
    (mail,) = mailoutbox
    assert renewed.token in mail.body
    assert client.get(accept_url(old)).status_code == HTTPStatus.NOT_FOUND  # the old link


def test_inviting_a_member_is_refused_beside_the_field(
    client, owner, cooperative, mailoutbox, django_capture_on_commit_callbacks
):
    MembershipFactory(cooperative=cooperative, user__email="youssef@example.com")
    client.force_login(owner.user)
    before = state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", cooperative), {"email": "YOUSSEF@example.com", "role": "member"}
        )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["invite_form"].errors["email"] == [
        "youssef@example.com is already a member of Atlas Weavers."
    ]
    assert state() == before
    assert mailoutbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not an address", "role": "member"},
        {"email": "", "role": "member"},
        {"email": "someone@example.com", "role": "president"},
        {"email": "someone@example.com"},
        {},
    ],
)
def test_a_bad_invitation_is_a_400_and_keeps_what_was_typed(client, owner, cooperative, data):
    client.force_login(owner.user)
    before = state()

    response = client.post(url("invite", cooperative), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["invite_form"].errors
    if data.get("email"):
        assert f'value="{data["email"]}"' in response.content.decode()
    assert state() == before


# --- accepting --------------------------------------------------------------------------


@pytest.fixture
def invitee(db):
    return UserFactory(email="youssef@example.com")


@pytest.fixture
def invitation(cooperative, owner) -> Invitation:
    return InvitationFactory(
        cooperative=cooperative,
        email="Youssef@Example.com",
        role=MembershipRole.MANAGER,
        invited_by=owner.user,
    )


def test_the_invitation_page_shows_the_cooperative_and_the_role(client, invitee, invitation):
    client.force_login(invitee)

    response = client.get(accept_url(invitation))

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Join Atlas Weavers" in page
    assert "fatima@example.com invites you to join as manager." in page
    assert "Accept the invitation" in page
    assert not Membership.objects.filter(user=invitee).exists()  # a GET changes nothing


def test_accepting_makes_the_invitee_a_member_with_the_role(
    client, invitee, invitation, cooperative
):
    client.force_login(invitee)

    response = client.post(accept_url(invitation))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("dashboard", cooperative)
    joined = Membership.objects.get(user=invitee)
    assert joined.cooperative == cooperative
    assert joined.role == MembershipRole.MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert "Welcome to Atlas Weavers." in client.get(response["Location"]).content.decode()


def test_accepting_twice_makes_one_membership(client, invitee, invitation, cooperative):
    client.force_login(invitee)

    first = client.post(accept_url(invitation))
    second = client.post(accept_url(invitation))

    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert Membership.objects.filter(user=invitee).count() == 1
    assert (
        "You are a member of Atlas Weavers already."
        in client.get(second["Location"]).content.decode()
    )
    invitation.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        membership.accept_invitation(invitation, user=invitee)
    assert refused.value.code == "already_accepted"


def test_the_second_of_two_simultaneous_accepts_finds_it_taken(invitee, invitation):
    stale = Invitation.objects.get(pk=invitation.pk)  # read before the first click commits
    membership.accept_invitation(invitation, user=invitee)

    with pytest.raises(ValidationError) as refused:
        membership.accept_invitation(stale, user=invitee)

    assert refused.value.code == "already_accepted"
    assert Membership.objects.filter(user=invitee).count() == 1


def test_an_invitation_used_by_someone_else_is_gone(client, invitation, cooperative):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    other = UserFactory(email="youssef@example.com")
    client.force_login(other)

    response = client.get(accept_url(invitation))

    assert response.status_code == HTTPStatus.GONE
    assert "has already been accepted" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()


def test_a_member_accepting_keeps_their_role(client, invitee, invitation, cooperative):
    MembershipFactory(user=invitee, cooperative=cooperative, role=MembershipRole.OWNER)
    client.force_login(invitee)

    client.post(accept_url(invitation))

    assert Membership.objects.get(user=invitee).role == MembershipRole.OWNER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_someone_logged_in_with_another_address_is_told_which_one_to_use(
    client, invitation, cooperative
):
    intruder = UserFactory(email="karim@example.com")
    client.force_login(intruder)
    before = state()

    for method in (client.get, client.post):
        response = method(accept_url(invitation))

        assert response.status_code == HTTPStatus.FORBIDDEN
        page = response.content.decode()
        assert "This invitation was sent to youssef@example.com" in page.replace(
            "Youssef@Example.com", "youssef@example.com"
        )
        assert "you are logged in as karim@example.com" in page
        assert reverse("account_logout") in page
    assert state() == before


@pytest.mark.parametrize(
    ("days", "age"), [(14, timedelta(days=14)), (3, timedelta(days=3, seconds=1))]
)
def test_an_expired_invitation_cannot_be_accepted(client, settings, invitee, invitation, days, age):
    settings.SOUK_INVITATION_DAYS = days
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - age)
    client.force_login(invitee)

    for method in (client.get, client.post):
        response = method(accept_url(invitation))

        assert response.status_code == HTTPStatus.GONE
        assert "This invitation to join Atlas Weavers expired on" in response.content.decode()
        assert "Ask one of its owners to invite you again." in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_invitation_just_within_its_days_can_be_accepted(client, invitee, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=13, hours=23)
    )
    client.force_login(invitee)

    assert client.post(accept_url(invitation)).status_code == HTTPStatus.FOUND
    assert Membership.objects.filter(user=invitee).exists()


def test_an_invitation_of_a_cooperative_suspended_since_is_refused(client, invitee, invitation):
    Cooperative.objects.filter(pk=invitation.cooperative_id).update(
        status=CooperativeStatus.SUSPENDED
    )
    client.force_login(invitee)
    before = state()

    for method in (client.get, client.post):
        response = method(accept_url(invitation))

        assert response.status_code == HTTPStatus.FORBIDDEN
        page = response.content.decode()
        assert "Atlas Weavers is suspended on Souk: nobody can join it for now." in page
        assert "Accept the invitation" not in page
    assert state() == before


def test_accepting_reads_the_cooperatives_status_afresh(invitee, invitation):
    assert invitation.cooperative.is_verified  # as read before the suspension below
    Cooperative.objects.filter(pk=invitation.cooperative_id).update(
        status=CooperativeStatus.SUSPENDED
    )

    with pytest.raises(ValidationError) as refused:
        membership.accept_invitation(invitation, user=invitee)

    assert refused.value.code == "cooperative_suspended"
    assert not Membership.objects.filter(user=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_invitation_works_again_once_the_suspension_is_lifted(client, invitee, invitation):
    cooperatives = Cooperative.objects.filter(pk=invitation.cooperative_id)
    cooperatives.update(status=CooperativeStatus.SUSPENDED)
    client.force_login(invitee)
    assert client.post(accept_url(invitation)).status_code == HTTPStatus.FORBIDDEN

    cooperatives.update(status=CooperativeStatus.VERIFIED)

    assert client.post(accept_url(invitation)).status_code == HTTPStatus.FOUND
    assert Membership.objects.get(user=invitee).role == MembershipRole.MANAGER


def test_a_cooperative_not_yet_verified_cannot_invite(client, owner, cooperative, mailoutbox):
    Cooperative.objects.filter(pk=cooperative.pk).update(status=CooperativeStatus.PENDING)
    client.force_login(owner.user)

    response = client.post(
        reverse("workspace:invite", args=[cooperative.pk]),
        {"email": "someone@example.com", "role": MembershipRole.MEMBER},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "once Souk has verified your cooperative" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_an_unknown_token_is_a_404(client, invitee):
    client.force_login(invitee)

    response = client.get(reverse("workspace:accept_invitation", args=["no-such-token"]))
    # A NUL byte would make PostgreSQL refuse the lookup: the URL does not take it.
    hostile = client.post("/en/workspace/invitations/%00abc/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert hostile.status_code == HTTPStatus.NOT_FOUND


def test_accepting_needs_a_signed_in_user(client, invitation):
    response = client.post(accept_url(invitation))

    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert not Membership.objects.exclude(role=MembershipRole.OWNER).exists()


def test_a_user_in_two_cooperatives_can_switch_between_them(client, invitee, invitation):
    MembershipFactory(user=invitee, cooperative__name="Zellige of Fes")
    client.force_login(invitee)
    client.post(accept_url(invitation))

    page = client.get(url("dashboard", invitation.cooperative)).content.decode()

    assert "Switch cooperative" in page
    assert "Zellige of Fes" in page


# --- roles and departures -----------------------------------------------------------------


def test_the_owner_changes_a_members_role(client, owner, cooperative):
    member = MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER)
    client.force_login(owner.user)

    response = client.post(url("change_role", cooperative, member.pk), {"role": "manager"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("members", cooperative)
    member.refresh_from_db()
    assert member.role == MembershipRole.MANAGER


def test_the_last_owner_cannot_step_down(client, owner, cooperative):
    MembershipFactory(cooperative=cooperative, role=MembershipRole.MANAGER)
    client.force_login(owner.user)
    before = state()

    response = client.post(url("change_role", cooperative, owner.pk), {"role": "manager"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert (
        "fatima@example.com is the only owner of Atlas Weavers. Make another member an owner "
        "first" in response.content.decode()
    )
    assert state() == before


def test_an_owner_may_step_down_when_another_owner_remains(client, owner, cooperative):
    MembershipFactory(cooperative=cooperative, role=MembershipRole.OWNER)
    client.force_login(owner.user)

    response = client.post(url("change_role", cooperative, owner.pk), {"role": "member"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("dashboard", cooperative)  # no longer sees the members
    owner.refresh_from_db()
    assert owner.role == MembershipRole.MEMBER
    assert client.get(url("members", cooperative)).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("data", [{"role": "president"}, {}])
def test_an_unknown_role_is_a_400(client, owner, cooperative, data):
    member = MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER)
    client.force_login(owner.user)
    before = state()

    response = client.post(url("change_role", cooperative, member.pk), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a role." in response.content.decode()
    assert state() == before


def test_the_owner_removes_a_member(client, owner, cooperative):
    member = MembershipFactory(cooperative=cooperative, role=MembershipRole.MANAGER)
    client.force_login(owner.user)

    response = client.post(url("remove_member", cooperative, member.pk))

    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(pk=member.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"{member.user.email} no longer belongs to Atlas Weavers." in page


def test_the_last_owner_cannot_leave(client, owner, cooperative):
    MembershipFactory(cooperative=cooperative, role=MembershipRole.MANAGER)
    client.force_login(owner.user)
    before = state()

    response = client.post(url("remove_member", cooperative, owner.pk))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "is the only owner of Atlas Weavers and cannot leave it" in response.content.decode()
    assert state() == before


def test_an_owner_may_leave_when_another_owner_remains(client, owner, cooperative):
    other = MembershipFactory(cooperative=cooperative, role=MembershipRole.OWNER)
    client.force_login(owner.user)

    response = client.post(url("remove_member", cooperative, owner.pk))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("workspace:home")
    assert list(Membership.objects.values_list("pk", flat=True)) == [other.pk]
    assert client.get(url("dashboard", cooperative)).status_code == HTTPStatus.NOT_FOUND


def test_demoting_an_owner_after_the_other_left_is_refused(owner, cooperative):
    other = MembershipFactory(cooperative=cooperative, role=MembershipRole.OWNER)
    stale_view_of_owner = Membership.objects.select_related("user", "cooperative").get(pk=owner.pk)
    membership.remove_member(other)

    with pytest.raises(ValidationError) as refused:
        membership.change_role(stale_view_of_owner, role=MembershipRole.MEMBER)

    assert refused.value.code == "last_owner"
    assert Membership.objects.get().role == MembershipRole.OWNER


def test_the_owner_cancels_an_open_invitation(client, owner, cooperative, invitation, invitee):
    client.force_login(owner.user)

    response = client.post(url("cancel_invitation", cooperative, invitation.pk))

    assert response.status_code == HTTPStatus.FOUND
    assert not Invitation.objects.exists()
    client.force_login(invitee)
    assert client.get(accept_url(invitation)).status_code == HTTPStatus.NOT_FOUND


def test_an_accepted_invitation_cannot_be_cancelled(client, owner, cooperative, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    client.force_login(owner.user)

    response = client.post(url("cancel_invitation", cooperative, invitation.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Invitation.objects.exists()


# --- who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [MembershipRole.MEMBER, MembershipRole.MANAGER])
def test_only_owners_open_the_members_and_profile_pages(client, cooperative, role):
    user = MembershipFactory(cooperative=cooperative, role=role).user
    client.force_login(user)

    for name in ("members", "profile"):
        response = client.get(url(name, cooperative))

        assert response.status_code == HTTPStatus.FORBIDDEN
        assert "Only the cooperative&#x27;s owners can do this." in response.content.decode()


def test_a_member_cannot_invite_change_roles_or_remove(client, owner, cooperative, invitation):
    member = MembershipFactory(cooperative=cooperative, role=MembershipRole.MANAGER)
    client.force_login(member.user)
    before = state()

    posts = [
        (url("invite", cooperative), {"email": "x@example.com", "role": "owner"}),
        (url("change_role", cooperative, member.pk), {"role": "owner"}),
        (url("remove_member", cooperative, owner.pk), {}),
        (url("cancel_invitation", cooperative, invitation.pk), {}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == HTTPStatus.FORBIDDEN, address
    assert state() == before


def test_a_stranger_gets_404_on_the_members_page(client, cooperative):
    stranger = MembershipFactory(role=MembershipRole.OWNER).user
    client.force_login(stranger)

    assert client.get(url("members", cooperative)).status_code == HTTPStatus.NOT_FOUND


def test_another_cooperatives_member_is_a_404_here(client, owner, cooperative):
    theirs = MembershipFactory(role=MembershipRole.MEMBER)
    client.force_login(owner.user)
    before = state()

    response = client.post(url("remove_member", cooperative, theirs.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert state() == before


def test_a_suspended_cooperative_cannot_invite(client, owner, cooperative):
    Cooperative.objects.filter(pk=cooperative.pk).update(status=CooperativeStatus.SUSPENDED)
    client.force_login(owner.user)

    response = client.post(url("invite", cooperative), {"email": "a@example.com", "role": "member"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "suspended" in response.content.decode()
    assert not Invitation.objects.exists()
    assert client.get(url("members", cooperative)).status_code == HTTPStatus.OK


def test_the_members_page_lists_members_and_open_invitations(client, owner, cooperative):
    MembershipFactory(cooperative=cooperative, user__email="aicha@example.com")
    InvitationFactory(cooperative=cooperative, email="open@example.com")
    InvitationFactory(cooperative=cooperative, email="done@example.com", accepted_at=timezone.now())
    client.force_login(owner.user)

    page = client.get(url("members", cooperative)).content.decode()

    assert "fatima@example.com" in page
    assert "aicha@example.com" in page
    assert "open@example.com" in page
    assert "done@example.com" not in page


def test_members_page_queries_do_not_grow(client, owner, cooperative, django_assert_num_queries):
    address = url("members", cooperative)
    MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER)
    InvitationFactory(cooperative=cooperative, invited_by=owner.user)
    client.force_login(owner.user)
    client.get(address)

    with django_assert_num_queries(5):  # session, user, memberships (ours), invitations, members
        client.get(address)
    for _ in range(29):
        MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER)
        InvitationFactory(cooperative=cooperative, invited_by=owner.user)
    with django_assert_num_queries(5):
        response = client.get(address)
    assert len(response.context["members"]) == 31


def test_invitations_waiting_for_the_user_show_on_the_way_in(client, invitee, invitation):
    client.force_login(invitee)

    page = client.get(reverse("workspace:home")).content.decode()

    assert "Invitations waiting for you" in page
    assert accept_url(invitation) in page
