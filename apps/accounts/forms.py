from django import forms

from .models import Role


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "Choose a role from the list."})
    action = forms.ChoiceField(choices=[("grant", "Grant"), ("revoke", "Revoke")])


class PeopleSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by name or e-mail")
