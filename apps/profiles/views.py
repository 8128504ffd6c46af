from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .forms import DiversityForm, ProfileForm
from .selectors import diversity_for_owner, profile_for_owner
from .services import (
    ProfileError,
    diversity_clear,
    diversity_update,
    mentor_offer_self_grant,
    profile_get_or_create,
    profile_update,
)


@login_required
@require_http_methods(["GET"])
def profile_detail(request: AuthenticatedRequest) -> HttpResponse:
    profile = profile_for_owner(user=request.user) or profile_get_or_create(user=request.user)
    return render(request, "profiles/detail.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedRequest) -> HttpResponse:
    profile = profile_for_owner(user=request.user) or profile_get_or_create(user=request.user)
    initial = {"first_name": request.user.first_name, "last_name": request.user.last_name}
    form = ProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        was_complete = profile.is_complete
        data = dict(form.cleaned_data)
        try:
            profile_update(
                user=request.user,
                first_name=data.pop("first_name"),
                last_name=data.pop("last_name"),
                fields=data,
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your profile is saved." if was_complete else "Your profile is complete.")
            return redirect("core:dashboard" if not was_complete else "profiles:detail")
    status = 400 if request.method == "POST" else 200
    return render(request, "profiles/edit.html", {"form": form, "profile": profile}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def diversity_edit(request: AuthenticatedRequest) -> HttpResponse:
    info = diversity_for_owner(user=request.user)
    form = DiversityForm(request.POST or None, instance=info)
    if request.method == "POST" and request.POST.get("action") == "clear":
        diversity_clear(user=request.user)
        messages.success(request, "Your diversity information is deleted.")
        return redirect("profiles:detail")
    if request.method == "POST" and form.is_valid():
        diversity_update(user=request.user, fields=form.cleaned_data)
        messages.success(request, "Your diversity information is saved. Only you can see it.")
        return redirect("profiles:detail")
    status = 400 if request.method == "POST" else 200
    return render(request, "profiles/diversity.html", {"form": form, "info": info}, status=status)


@login_required
@require_http_methods(["POST"])
def mentor_offer(request: AuthenticatedRequest) -> HttpResponse:
    try:
        mentor_offer_self_grant(user=request.user, now=timezone.now())
    except ProfileError as exc:
        messages.error(request, str(exc))
        return redirect("core:dashboard")
    messages.success(request, "Thank you: you are now listed as a mentor.")
    return redirect("core:dashboard")
