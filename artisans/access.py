"""Who may do what in a cooperative's workspace.

Every workspace URL names its cooperative. Only its members reach it: anyone else gets a 404,
as for a cooperative that does not exist. Each view asks for a role and answers 403 below it:
members list products and ship, managers also see money, owners also manage the cooperative
and its members. A suspended cooperative's members may read but not change anything, except
sending parcels already paid for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from artisans.models import Cooperative, CooperativeStatus, Membership, MembershipRole

ROLE_RANK = {MembershipRole.MEMBER: 1, MembershipRole.MANAGER: 2, MembershipRole.OWNER: 3}
SAFE_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Workspace:
    """The signed-in member's cooperative, and all their memberships (for the switcher)."""

    membership: Membership
    memberships: tuple[Membership, ...]

    @property
    def cooperative(self) -> Cooperative:
        return self.membership.cooperative

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.membership.role] >= ROLE_RANK[role]

    @property
    def sees_money(self) -> bool:
        return self.can(MembershipRole.MANAGER)

    @property
    def manages_cooperative(self) -> bool:
        return self.can(MembershipRole.OWNER)

    @property
    def is_suspended(self) -> bool:
        return self.cooperative.status == CooperativeStatus.SUSPENDED


def memberships_of(user) -> tuple[Membership, ...]:
    """The user's memberships with their cooperatives, by cooperative name (one query)."""
    return tuple(
        Membership.objects.filter(user=user)
        .select_related("cooperative")
        .order_by("cooperative__name", "pk")
    )


def open_workspace(user, cooperative_id: int) -> Workspace:
    """Return the user's workspace of the cooperative, or raise Http404 if not a member."""
    memberships = memberships_of(user)
    for membership in memberships:
        if membership.cooperative_id == cooperative_id:
            return Workspace(membership=membership, memberships=memberships)
    raise Http404


def check_role(workspace: Workspace, role: str) -> None:
    """Raise PermissionDenied (403) with the reason when the member's role is below role."""
    if workspace.can(role):
        return
    if role == MembershipRole.OWNER:
        raise PermissionDenied(gettext("Only the cooperative's owners can do this."))
    raise PermissionDenied(gettext("Only the cooperative's managers and owners can see this."))


def check_not_suspended(workspace: Workspace) -> None:
    """Raise PermissionDenied when the cooperative is suspended: its members may only read."""
    if workspace.is_suspended:
        raise PermissionDenied(
            gettext(
                "%(name)s is suspended: you can read its workspace but not change it. "
                "Reply to Souk's mail about the suspension to have it lifted."
            )
            % {"name": workspace.cooperative.name}
        )


def workspace_view(
    role: str = MembershipRole.MEMBER, *, while_suspended: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking (request, workspace, ...) from a URL with cooperative_id.

    Non-members get 404, members below role 403; a change (any method but GET and HEAD) to a
    suspended cooperative gets 403 unless while_suspended.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, cooperative_id: int, **kwargs) -> HttpResponse:
            workspace = open_workspace(request.user, cooperative_id)
            check_role(workspace, role)
            if request.method not in SAFE_METHODS and not while_suspended:
                check_not_suspended(workspace)
            return view(request, workspace, **kwargs)

        return wrapper

    return decorator


def render_workspace(
    request: HttpRequest,
    workspace: Workspace,
    template: str,
    context: dict | None = None,
    *,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """Render a workspace page: the template gets the workspace for its header and menu."""
    return render(request, template, {"workspace": workspace, **(context or {})}, status=status)
