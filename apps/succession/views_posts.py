"""An organisation lead's posts. Thin: every page needs the organisation lead role and works on the one
organisation the lead leads (selectors.led_organisation); a post is fetched through selectors.post_for_lead, so
another organisation's post is a 404; each form is checked, one service called, its refusal shown with the form
(400), and the lead sent back to the list."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel

from .forms_posts import PostForm, StructureForm
from .models import Post
from .selectors import led_organisation, post_for_lead, posts_by_level, posts_for_lead
from .services import SuccessionError
from .services.posts import post_create, post_remove, post_update, structure_apply
from .structures import shipped

LEADS_ONLY = "These pages are for an organisation's lead: an administrator grants the role for one organisation."


lead_only = role_required(Role.ORGANISATION_LEAD, message=LEADS_ONLY)


def _organisation(request: AuthenticatedRequest) -> Organisation:
    organisation = led_organisation(user=request.user)
    if organisation is None:  # the role without an organisation cannot be granted; kept as a guard
        raise Http404("No organisation.")
    return organisation


def _post(request: AuthenticatedRequest, post_id: int) -> Post:
    post = post_for_lead(lead=request.user, post_id=post_id)
    if post is None:
        raise Http404("No such post.")
    return post


def _crumbs() -> list[tuple[str, str]]:
    return [("Your organisation's posts", reverse("succession:posts"))]


@lead_only
@require_http_methods(["GET"])
def posts(request: AuthenticatedRequest) -> HttpResponse:
    organisation = _organisation(request)
    levels = posts_by_level(lead=request.user, today=timezone.localdate())
    context = {
        "organisation": organisation,
        "levels": levels,
        "count": sum(len(level.rows) for level in levels),
        "structures": shipped(),
    }
    return render(request, "succession/posts/list.html", context)


def _form_page(request: AuthenticatedRequest, form: PostForm, heading: str, post: Post | None = None) -> HttpResponse:
    context = {"form": form, "heading": heading, "post": post, "crumbs": _crumbs()}
    return render(request, "succession/posts/form.html", context, status=400 if form.errors else 200)


@lead_only
@require_http_methods(["GET", "POST"])
def post_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = _organisation(request)
    today = timezone.localdate()
    form = PostForm(request.POST or None, organisation=organisation, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            post = post_create(
                organisation=organisation, actor=request.user, fields=form.post_fields(), now=timezone.now()
            )
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{post.title} is added to {organisation.name}'s posts.")
            return redirect("succession:posts")
    return _form_page(request, form, f"Add a post at {organisation.name}")


@lead_only
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    organisation = _organisation(request)
    post = _post(request, post_id)
    today = timezone.localdate()
    if request.method == "POST":
        form = PostForm(request.POST, organisation=organisation, today=today)
    else:
        form = PostForm(initial=PostForm.initial_from(post), organisation=organisation, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            changed = post_update(post_id=post.pk, actor=request.user, fields=form.post_fields(), now=timezone.now())
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{changed.title} is saved.")
            return redirect("succession:posts")
    return _form_page(request, form, f"Change {post.title}", post)


@lead_only
@require_http_methods(["GET", "POST"])
def post_remove_view(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    if request.method == "POST":
        try:
            standing = post_remove(post_id=post.pk, actor=request.user, now=timezone.now())
        except SuccessionError as exc:
            messages.error(request, str(exc))
        else:
            level = LeadershipLevel(post.level).label.lower()
            who = (
                "The person who stood forward for it still stands"
                if standing == 1
                else (f"The {standing} people who stood forward for it still stand")
            )
            kept = f" {who} forward for {level} at {post.organisation.name}." if standing else ""
            messages.success(request, f"{post.title} is removed.{kept}")
        return redirect("succession:posts")
    context = {
        "post": post,
        "level": LeadershipLevel(post.level).label.lower(),
        "standing": post.standing_forward,  # type: ignore[attr-defined]
        "crumbs": _crumbs(),
    }
    return render(request, "succession/posts/remove.html", context)


@lead_only
@require_http_methods(["GET"])
def structures(request: AuthenticatedRequest) -> HttpResponse:
    organisation = _organisation(request)
    has_posts = posts_for_lead(lead=request.user).exists()
    context = {"organisation": organisation, "structures": shipped(), "has_posts": has_posts, "crumbs": _crumbs()}
    return render(request, "succession/posts/structures.html", context)


@lead_only
@require_http_methods(["POST"])
def structure_apply_view(request: AuthenticatedRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = StructureForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["structure"][0]))
        return redirect("succession:structures")
    structure = shipped().get(form.cleaned_data["structure"])
    if structure is None:  # the form's choices are the shipped slugs: never reached
        raise Http404("No such structure.")
    try:
        made = structure_apply(organisation=organisation, actor=request.user, structure=structure, now=timezone.now())
    except SuccessionError as exc:
        messages.error(request, str(exc))
        return redirect("succession:structures")
    messages.success(
        request,
        f"{len(made)} posts are added from {structure.name}. Change each one to your own title, holder and dates, "
        "and remove any you do not have.",
    )
    return redirect("succession:posts")
