"""The seller workspace's cooperative pages: the way in, registration, the profile and its
photos, the members and their invitations. (The overview counts products and orders: it is
marketplace/workspace_views.py's, as artisans imports neither catalog nor marketplace.)

Pages under <cooperative_id>/ go through artisans.access.workspace_view: non-members get 404,
a role too low 403, a change to a suspended cooperative 403. The rules are in
artisans/onboarding.py and artisans/membership.py; these views parse, call and render.
"""

from copy import copy
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from artisans import membership, onboarding
from artisans.access import Workspace, memberships_of, render_workspace, workspace_view
from artisans.forms import (
    AddPhotosForm,
    CooperativeProfileForm,
    InvitationForm,
    RegistrationForm,
)
from artisans.models import Cooperative, Invitation, Membership, MembershipRole

OWNER = MembershipRole.OWNER


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The way into the workspace: straight to one's cooperative, a choice, or a welcome."""
    memberships = memberships_of(request.user)
    invitations = membership.open_invitations_for(request.user)
    if len(memberships) == 1 and not invitations:
        return redirect("workspace:dashboard", memberships[0].cooperative_id)
    context = {"memberships": memberships, "invitations": invitations}
    return render(request, "artisans/workspace/home.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = RegistrationForm(initial={"email": request.user.email})
        return render(request, "artisans/workspace/register.html", {"form": form})
    form = RegistrationForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "artisans/workspace/register.html",
            {"form": form},
            status=HTTPStatus.BAD_REQUEST,
        )
    cooperative = onboarding.register_cooperative(
        request.user,
        profile=form.profile,
        logo=form.cleaned_data["logo"] or None,
        photos=form.cleaned_data["photos"],
        photo_alt_text=form.cleaned_data["photo_alt_text"],
    )
    messages.success(
        request,
        gettext(
            "Registered. Souk will check %(name)s and you'll get a mail once it is verified. "
            "Meanwhile you can prepare your products."
        )
        % {"name": cooperative.name},
    )
    return redirect("workspace:dashboard", cooperative.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("cooperative", "invited_by"), token=token
    )
    try:
        if request.method == "POST":
            membership.accept_invitation(invitation, user=request.user)
            messages.success(
                request,
                gettext("Welcome to %(name)s.") % {"name": invitation.cooperative.name},
            )
            return redirect("workspace:dashboard", invitation.cooperative_id)
        membership.check_invitation(invitation, user=request.user)
    except PermissionDenied as refusal:  # signed in with another address
        context = {"invitation": invitation, "problem": str(refusal), "wrong_account": True}
        return render(
            request,
            "artisans/workspace/invitation_refused.html",
            context,
            status=HTTPStatus.FORBIDDEN,
        )
    except ValidationError as refusal:  # expired, accepted already, or suspended cooperative
        if invitation.cooperative.memberships.filter(user=request.user).exists():
            messages.info(
                request,
                gettext("You are a member of %(name)s already.")
                % {"name": invitation.cooperative.name},
            )
            return redirect("workspace:dashboard", invitation.cooperative_id)
        context = {"invitation": invitation, "problem": refusal.messages[0]}
        # A suspension can be lifted, and the link then works again: refused, not gone.
        suspended = refusal.code == "cooperative_suspended"
        return render(
            request,
            "artisans/workspace/invitation_refused.html",
            context,
            status=HTTPStatus.FORBIDDEN if suspended else HTTPStatus.GONE,
        )
    context = {
        "invitation": invitation,
        "expires_at": membership.invitation_expires_at(invitation),
    }
    return render(request, "artisans/workspace/invitation.html", context)


@workspace_view(role=OWNER)
@require_http_methods(["GET", "HEAD", "POST"])
def edit_profile(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method != "POST":
        return _profile_page(request, workspace)
    cooperative = workspace.cooperative
    form = _profile_form(cooperative, request.POST, request.FILES)
    if not form.is_valid():
        return _profile_page(request, workspace, form=form, status=HTTPStatus.BAD_REQUEST)
    onboarding.update_profile(cooperative, profile=form.profile, logo=form.cleaned_data["logo"])
    messages.success(request, gettext("Profile saved."))
    return redirect("workspace:profile", cooperative.pk)


@workspace_view(role=OWNER)
@require_POST
def add_photos(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    cooperative = workspace.cooperative
    form = AddPhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = onboarding.add_photos(
                cooperative, form.cleaned_data["photos"], alt_text=form.cleaned_data["alt_text"]
            )
        except ValidationError as error:
            form.add_error("photos", error)
        else:
            messages.success(request, gettext("Photos added: %(count)d.") % {"count": len(added)})
            return redirect("workspace:profile", cooperative.pk)
    return _profile_page(request, workspace, photo_form=form, status=HTTPStatus.BAD_REQUEST)


@workspace_view(role=OWNER)
@require_POST
def delete_photo(request: HttpRequest, workspace: Workspace, photo_id: int) -> HttpResponse:
    cooperative = workspace.cooperative
    photo = get_object_or_404(cooperative.photos, pk=photo_id)
    onboarding.delete_photo(photo)
    messages.success(request, gettext("Photo deleted."))
    return redirect("workspace:profile", cooperative.pk)


@workspace_view(role=OWNER)
def members(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return _members_page(request, workspace)


@workspace_view(role=OWNER)
@require_POST
def invite(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = membership.invite(
                workspace.cooperative,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            days = membership.invitation_days()
            sent = ngettext(
                "Invitation sent to %(email)s. It can be accepted for %(days)d day.",
                "Invitation sent to %(email)s. It can be accepted for %(days)d days.",
                days,
            )
            messages.success(request, sent % {"email": invitation.email, "days": days})
            return redirect("workspace:members", workspace.cooperative.pk)
    return _members_page(request, workspace, invite_form=form, status=HTTPStatus.BAD_REQUEST)


@workspace_view(role=OWNER)
@require_POST
def change_role(request: HttpRequest, workspace: Workspace, membership_id: int) -> HttpResponse:
    cooperative = workspace.cooperative
    member = _member(workspace, membership_id)
    try:
        # change_role refuses a missing or unknown role with "Choose a role.".
        membership.change_role(member, role=request.POST.get("role", ""))
    except ValidationError as error:
        return _members_page(
            request, workspace, problem=error.messages[0], status=HTTPStatus.BAD_REQUEST
        )
    messages.success(
        request,
        gettext("%(email)s is now %(role)s.")
        % {"email": member.user.email, "role": member.get_role_display()},
    )
    if member.user_id == request.user.pk and member.role != OWNER:
        return redirect("workspace:dashboard", cooperative.pk)  # no longer sees the members
    return redirect("workspace:members", cooperative.pk)


@workspace_view(role=OWNER)
@require_POST
def remove_member(request: HttpRequest, workspace: Workspace, membership_id: int) -> HttpResponse:
    cooperative = workspace.cooperative
    member = _member(workspace, membership_id)
    try:
        membership.remove_member(member)
    except ValidationError as error:
        return _members_page(
            request, workspace, problem=error.messages[0], status=HTTPStatus.BAD_REQUEST
        )
    params = {"email": member.user.email, "name": cooperative.name}
    if member.user_id == request.user.pk:
        messages.success(request, gettext("You left %(name)s.") % params)
        return redirect("workspace:home")
    messages.success(request, gettext("%(email)s no longer belongs to %(name)s.") % params)
    return redirect("workspace:members", cooperative.pk)


@workspace_view(role=OWNER)
@require_POST
def cancel_invitation(
    request: HttpRequest, workspace: Workspace, invitation_id: int
) -> HttpResponse:
    cooperative = workspace.cooperative
    invitation = get_object_or_404(
        cooperative.invitations.filter(accepted_at__isnull=True), pk=invitation_id
    )
    membership.cancel_invitation(invitation)
    messages.success(
        request,
        gettext("The invitation to %(email)s is cancelled: its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("workspace:members", cooperative.pk)


def _profile_form(cooperative: Cooperative, *data) -> CooperativeProfileForm:
    """The profile form, bound to data (POST and FILES) when given."""
    # A copy: the form writes what was typed on its instance, and an invalid name must not
    # show in the page's header as if it were saved.
    return CooperativeProfileForm(
        *data, instance=copy(cooperative), initial={"logo": cooperative.logo}
    )


def _member(workspace: Workspace, membership_id: int) -> Membership:
    """The cooperative's membership of that id, or 404."""
    return get_object_or_404(
        workspace.cooperative.memberships.select_related("user", "cooperative"),
        pk=membership_id,
    )


def _profile_page(
    request: HttpRequest,
    workspace: Workspace,
    *,
    form: CooperativeProfileForm | None = None,
    photo_form: AddPhotosForm | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    cooperative = workspace.cooperative
    context = {
        "section": "profile",
        "form": form or _profile_form(cooperative),
        "photo_form": photo_form or AddPhotosForm(),
        "photos": list(cooperative.photos.all()),
        "max_photos": onboarding.MAX_COOPERATIVE_PHOTOS,
    }
    return render_workspace(
        request, workspace, "artisans/workspace/profile.html", context, status=status
    )


def _members_page(
    request: HttpRequest,
    workspace: Workspace,
    *,
    invite_form: InvitationForm | None = None,
    problem: str = "",
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    cooperative = workspace.cooperative
    invitations = list(cooperative.invitations.filter(accepted_at__isnull=True))
    now = timezone.now()
    context = {
        "section": "members",
        "members": list(
            cooperative.memberships.select_related("user").order_by("created_at", "pk")
        ),
        "invitations": [
            (invitation, expires_at, expires_at <= now)
            for invitation in invitations
            for expires_at in [membership.invitation_expires_at(invitation)]
        ],
        "invite_form": invite_form or InvitationForm(),
        "roles": MembershipRole.choices,
        "problem": problem,
    }
    return render_workspace(
        request, workspace, "artisans/workspace/members.html", context, status=status
    )
