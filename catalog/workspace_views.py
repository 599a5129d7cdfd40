"""The seller workspace's product pages: the list, the product form, review and archive, the
photos, and the HS code search the form's script asks; and the buyers' reviews, with the
cooperative's reply to each.

Every page goes through artisans.access.workspace_view (members and up; a suspended
cooperative may only read) and fetches the product through the workspace's cooperative: an
id of another cooperative's product is a 404. The rules are catalog/listing.py's.
"""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from artisans.access import Workspace, render_workspace, workspace_view
from catalog import listing
from catalog.forms import AddPhotosForm, AltTextForm, MovePhotoForm, ProductForm, ReplyForm
from catalog.hs_codes import SEARCH_LIMIT, search_subheadings
from catalog.models import Craft, Product, ProductImage, ProductStatus, Review
from catalog.reviews import reply_to_review

PER_PAGE = 20
ALL = "all"
TAB_LABELS = {
    ALL: _("All"),
    ProductStatus.DRAFT: _("Drafts"),
    ProductStatus.PENDING: _("Pending review"),
    ProductStatus.PUBLISHED: _("Published"),
    ProductStatus.REJECTED: _("Rejected"),
    ProductStatus.ARCHIVED: _("Archived"),
}


@workspace_view()
@require_safe
def product_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    products = Product.objects.filter(cooperative=workspace.cooperative)
    counts = listing.count_by_status(workspace.cooperative)
    tab = request.GET.get("status", ALL)
    if tab not in TAB_LABELS:
        tab = ALL
    shown = products if tab == ALL else products.filter(status=tab)
    shown = (
        shown.defer("search_document")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))
        )
        .order_by("-created_at", "-pk")
    )
    context = {
        "section": "products",
        "tab": tab,
        "tabs": [
            (value, label, sum(counts.values()) if value == ALL else counts[value])
            for value, label in TAB_LABELS.items()
        ],
        "page_obj": Paginator(shown, PER_PAGE).get_page(request.GET.get("page")),
        "query": request.GET,
    }
    return render_workspace(request, workspace, "catalog/workspace/product_list.html", context)


@workspace_view()
@require_http_methods(["GET", "HEAD", "POST"])
def product_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method != "POST":
        return _create_page(request, workspace, _product_form(workspace))
    form = _product_form(workspace, data=request.POST)
    if not form.is_valid():
        return _create_page(request, workspace, form, status=HTTPStatus.BAD_REQUEST)
    product = listing.create_product(workspace.cooperative, details=form.details)
    messages.success(
        request,
        gettext("Draft “%(title)s” saved. Add its photos, then submit it for review.")
        % {"title": product.title},
    )
    return redirect("workspace:product_edit", workspace.cooperative.pk, product.pk)


@workspace_view()
@require_http_methods(["GET", "HEAD", "POST"])
def product_edit(request: HttpRequest, workspace: Workspace, product_id: int) -> HttpResponse:
    product = _product(workspace, product_id)
    if request.method != "POST":
        return _edit_page(request, workspace, product)
    form = _product_form(workspace, data=request.POST, editing=True)
    if form.is_valid():
        try:
            sent_back = listing.update_product(
                product,
                details=form.details,
                stock_seen=form.cleaned_data["stock_seen"],
                seen_at=form.cleaned_data["seen_at"],
            )
        except ValidationError as error:
            # The seller's fields stay; what they saw is brought up to date, so that saving
            # again, once they have checked, goes through.
            product.refresh_from_db()
            seen = {"stock_seen": product.stock, "seen_at": product.updated_at.isoformat()}
            form = _product_form(workspace, data={**request.POST.dict(), **seen}, editing=True)
            form.is_valid()
            form.add_error(None, error)
        else:
            messages.success(request, _saved_message(product, sent_back=sent_back))
            return redirect("workspace:product_edit", workspace.cooperative.pk, product.pk)
    return _edit_page(request, workspace, product, form=form, status=HTTPStatus.BAD_REQUEST)


@workspace_view()
@require_POST
def submit(request: HttpRequest, workspace: Workspace, product_id: int) -> HttpResponse:
    product = _product(workspace, product_id)
    try:
        submitted = listing.submit_for_review(product)
    except ValidationError as error:
        refused = getattr(error, "code", None) == "cooperative_not_verified"
        status = HTTPStatus.FORBIDDEN if refused else HTTPStatus.BAD_REQUEST
        return _edit_page(request, workspace, product, problems=error.messages, status=status)
    params = {"title": product.title}
    if submitted:
        messages.success(
            request,
            gettext(
                "“%(title)s” is submitted for review. A Souk moderator will check it; the "
                "cooperative's owners get a mail with the decision."
            )
            % params,
        )
    else:
        messages.info(request, gettext("“%(title)s” is already awaiting review.") % params)
    return redirect("workspace:product_edit", workspace.cooperative.pk, product.pk)


@workspace_view()
@require_POST
def archive(request: HttpRequest, workspace: Workspace, product_id: int) -> HttpResponse:
    product = _product(workspace, product_id)
    if listing.archive_product(product):
        messages.success(
            request,
            gettext(
                "“%(title)s” is archived: buyers no longer see it. You can restore it any time."
            )
            % {"title": product.title},
        )
    return redirect("workspace:product_edit", workspace.cooperative.pk, product.pk)


@workspace_view()
@require_POST
def restore(request: HttpRequest, workspace: Workspace, product_id: int) -> HttpResponse:
    product = _product(workspace, product_id)
    if listing.restore_product(product):
        messages.success(
            request,
            gettext("“%(title)s” is a draft again: submit it for review to sell it.")
            % {"title": product.title},
        )
    return redirect("workspace:product_edit", workspace.cooperative.pk, product.pk)


@workspace_view()
@require_POST
def add_photos(request: HttpRequest, workspace: Workspace, product_id: int) -> HttpResponse:
    product = _product(workspace, product_id)
    form = AddPhotosForm(request.POST, request.FILES)
    if form.is_valid():
        # No transaction here: listing.add_photos commits each photo with its files.
        try:
            result = listing.add_photos(product, form.cleaned_data["photos"])
        except ValidationError as error:
            form.add_error("photos", error)
        else:
            refusals = [
                gettext("%(file)s: %(problem)s") % {"file": name, "problem": problem}
                for name, problems in result.refused
                for problem in problems
            ]
            if result.added:
                _report_added_photos(request, product, result, refusals)
                return redirect(_photos_url(workspace, product))
            form.add_error("photos", refusals)
    return _edit_page(request, workspace, product, photo_form=form, status=HTTPStatus.BAD_REQUEST)


@workspace_view()
@require_POST
def edit_photo(
    request: HttpRequest, workspace: Workspace, product_id: int, photo_id: int
) -> HttpResponse:
    product, photo = _photo(workspace, product_id, photo_id)
    form = AltTextForm(request.POST)
    if not form.is_valid():
        problems = [error for errors in form.errors.values() for error in errors]
        return _edit_page(
            request, workspace, product, problems=problems, status=HTTPStatus.BAD_REQUEST
        )
    listing.set_alt_text(photo, form.cleaned_data["alt_text"])
    messages.success(request, gettext("Photo description saved."))
    return redirect(_photos_url(workspace, product))


@workspace_view()
@require_POST
def move_photo(
    request: HttpRequest, workspace: Workspace, product_id: int, photo_id: int
) -> HttpResponse:
    product, photo = _photo(workspace, product_id, photo_id)
    form = MovePhotoForm(request.POST)
    if not form.is_valid():
        problem = gettext("Choose whether to move the photo earlier or later.")
        return _edit_page(
            request, workspace, product, problems=[problem], status=HTTPStatus.BAD_REQUEST
        )
    if listing.move_photo(photo, later=form.cleaned_data["direction"] == "later"):
        messages.success(request, gettext("Photo moved."))
    return redirect(_photos_url(workspace, product))


@workspace_view()
@require_POST
def delete_photo(
    request: HttpRequest, workspace: Workspace, product_id: int, photo_id: int
) -> HttpResponse:
    product, photo = _photo(workspace, product_id, photo_id)
    done = gettext("Photo deleted.")
    if listing.delete_photo(photo):
        done = _back_to_review_message(product, done)
    messages.success(request, done)
    return redirect(_photos_url(workspace, product))


@workspace_view()
@require_safe
def hs_code_search(request: HttpRequest, workspace: Workspace) -> JsonResponse:
    """The 6-digit codes matching ?q= (code or words), the usual code of ?craft= first."""
    craft_id = request.GET.get("craft", "")
    craft = None
    if craft_id.isascii() and craft_id.isdigit() and len(craft_id) < 10:
        craft = Craft.objects.select_related("hs_code").filter(pk=int(craft_id)).first()
    codes = search_subheadings(request.GET.get("q", ""), craft=craft, limit=SEARCH_LIMIT)
    results = [
        {"code": code.code, "dotted": code.dotted_code, "description": code.description}
        for code in codes
    ]
    return JsonResponse({"results": results})


# ---------------------------------------------------------------------------
# Pages and messages
# ---------------------------------------------------------------------------
def _product(workspace: Workspace, product_id: int) -> Product:
    product = get_object_or_404(
        Product.objects.filter(cooperative=workspace.cooperative)
        .select_related("craft", "hs_code")
        .defer("search_document"),
        pk=product_id,
    )
    product.cooperative = workspace.cooperative
    return product


def _photo(workspace: Workspace, product_id: int, photo_id: int) -> tuple[Product, ProductImage]:
    """The product, and one of its photos: a photo of another product is a 404."""
    product = _product(workspace, product_id)
    return product, get_object_or_404(product.images, pk=photo_id)


def _product_form(
    workspace: Workspace, data: QueryDict | dict | None = None, **kwargs
) -> ProductForm:
    search_url = reverse("workspace:hs_code_search", args=[workspace.cooperative.pk])
    return ProductForm(data, hs_search_url=search_url, **kwargs)


def _create_page(
    request: HttpRequest, workspace: Workspace, form: ProductForm, *, status: int = HTTPStatus.OK
) -> HttpResponse:
    context = {"section": "products", "form": form, "craft_codes": form.craft_codes()}
    return render_workspace(
        request, workspace, "catalog/workspace/product_create.html", context, status=status
    )


def _edit_page(
    request: HttpRequest,
    workspace: Workspace,
    product: Product,
    *,
    form: ProductForm | None = None,
    photo_form: AddPhotosForm | None = None,
    problems: list[str] | tuple[str, ...] = (),
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    if form is None:
        form = _product_form(workspace, initial=ProductForm.initial_for(product))
    photos = list(product.images.order_by("position", "pk"))
    context = {
        "section": "products",
        "product": product,
        "form": form,
        "craft_codes": form.craft_codes(),
        "photos": photos,
        "photo_form": photo_form or AddPhotosForm(),
        "max_photos": listing.MAX_PRODUCT_PHOTOS,
        "problems": problems,
        "can_submit": product.status in listing.SUBMITTABLE,
        # What review will ask for, shown before the seller tries (photos counted above).
        "missing": [
            error.messages[0]
            for error in listing.submission_problems(product)
            if not (error.code == "photo_required" and photos)
        ]
        if product.status in listing.SUBMITTABLE
        else [],
    }
    return render_workspace(
        request, workspace, "catalog/workspace/product_edit.html", context, status=status
    )


def _photos_url(workspace: Workspace, product: Product) -> str:
    return reverse("workspace:product_edit", args=[workspace.cooperative.pk, product.pk]) + (
        "#photos"
    )


def _saved_message(product: Product, *, sent_back: bool) -> str:
    if sent_back:
        return _back_to_review_message(product, gettext("Saved."))
    if product.status == ProductStatus.REJECTED:
        return gettext("Saved. When it is ready, submit “%(title)s” for review again.") % {
            "title": product.title
        }
    return gettext("Saved.")


def _back_to_review_message(product: Product, done: str) -> str:
    return gettext(
        "%(done)s What buyers see changed, so “%(title)s” goes back to review: buyers do not "
        "see it until a moderator approves it again."
    ) % {"done": done, "title": product.title}


def _report_added_photos(
    request: HttpRequest, product: Product, result: listing.PhotoUpload, refusals: list[str]
) -> None:
    count = len(result.added)
    added = ngettext("%(count)d photo added.", "%(count)d photos added.", count) % {"count": count}
    if result.sent_back_to_review:
        added = _back_to_review_message(product, added)
    messages.success(request, added)
    for refusal in refusals:
        messages.error(request, gettext("Not added: %(refusal)s") % {"refusal": refusal})


# ---------------------------------------------------------------------------
# Reviews of the cooperative's pieces, and its one public reply to each (catalog/reviews.py)
# ---------------------------------------------------------------------------
REVIEWS_PER_PAGE = 20
UNANSWERED = "unanswered"


@workspace_view()
@require_safe
def reviews(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return _reviews_page(request, workspace)


@workspace_view()
@require_POST
def review_reply(request: HttpRequest, workspace: Workspace, review_id: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.published().filter(cooperative=workspace.cooperative), pk=review_id
    )
    form = _reply_form(review, request.POST)
    if form.is_valid():
        try:
            reply_to_review(
                review,
                cooperative=workspace.cooperative,
                by=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your reply is published under the review."))
            # Back to the tab and page the reply was written on (the form's address has them).
            query = _list_query(_tab(request), request.GET.get("page", ""))
            return redirect(
                reverse("workspace:reviews", args=[workspace.cooperative.pk])
                + (f"?{query.urlencode()}" if query else "")
                + f"#review-{review.pk}"
            )
    return _reviews_page(request, workspace, failed=(review, form), status=HTTPStatus.BAD_REQUEST)


def _reviews_page(
    request: HttpRequest,
    workspace: Workspace,
    *,
    failed: tuple[Review, ReplyForm] | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """The cooperative's published reviews, newest first; those awaiting a reply on a tab.

    After a failed reply, the page holding its review, with the form's text and errors there.
    """
    published = Review.objects.filter(cooperative=workspace.cooperative).published()
    tab = _tab(request)
    shown = published.filter(reply="") if tab == UNANSWERED else published
    failed_review, failed_form = failed or (None, None)
    number = _page_holding(failed_review, shown) if failed_review else request.GET.get("page")
    page = Paginator(shown.for_display().sorted_by("newest"), REVIEWS_PER_PAGE).get_page(number)
    reviews = []  # (review, its reply form: None once replied, or while suspended)
    for review in page:
        if failed_review and review.pk == failed_review.pk:
            form = failed_form  # the text kept, the errors beside it
        elif review.reply or workspace.is_suspended:
            form = None
        else:
            form = _reply_form(review)
        reviews.append((review, form))
    context = {
        "section": "reviews",
        "summary": published.rating_summary(),
        "unanswered": published.filter(reply="").count(),
        "tab": tab,
        "page_obj": page,
        "reviews": reviews,
        "query": _list_query(tab),  # what the pagination links carry
        "reply_query": _list_query(tab, page.number),  # where a reply comes back to
        # A reply refused for a review not on this tab any more (replied to meanwhile).
        "failed_elsewhere": None if failed_form in (form for _, form in reviews) else failed_form,
    }
    return render_workspace(
        request, workspace, "catalog/workspace/review_list.html", context, status=status
    )


def _tab(request: HttpRequest) -> str:
    return UNANSWERED if request.GET.get("tab") == UNANSWERED else ALL


def _list_query(tab: str, number: int | str = 1) -> QueryDict:
    """The reviews list's query string: the tab, and the page when past the first."""
    query = QueryDict(mutable=True)
    if tab == UNANSWERED:
        query["tab"] = UNANSWERED
    try:
        number = int(str(number)[:7])
    except ValueError:
        number = 1
    if number > 1:
        query["page"] = str(number)
    return query


def _page_holding(review: Review, shown: QuerySet) -> int:
    """The number of the page of shown (newest first) that holds the review."""
    newer = shown.filter(
        Q(created_at__gt=review.created_at) | Q(created_at=review.created_at, pk__gt=review.pk)
    ).count()  # the order of sorted_by("newest"): -created_at, -pk
    return newer // REVIEWS_PER_PAGE + 1


def _reply_form(review: Review, data: QueryDict | None = None) -> ReplyForm:
    # Ids of its own: one form under each review of the page.
    return ReplyForm(data, auto_id=f"reply-{review.pk}-%s")
