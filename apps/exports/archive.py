"""The zip a person downloads: `data.json` (machine-readable, layout in README.txt), `README.txt`, `summary.html`
(the same data for a person to read, one self-contained page) and `files/` (their evidence documents).

`summary.html` is opened from the person's own disk, never served by the portal, so its styles are inline; its
HTML is built with Django's escaping from the same dict as `data.json`, so the two can never say different things.
"""

import json
import re
import zipfile
from datetime import datetime
from typing import IO, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import Storage
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe

from .collect import Collected

LONDON = ZoneInfo("Europe/London")

# The top-level sections of data.json as the summary titles them, in order.
SECTIONS = {
    "person": "You and your account",
    "roles": "Your roles",
    "profile": "Your profile",
    "diversity": "Your diversity information",
    "self_assessments": "Self-assessments and 360 feedback",
    "development_plans": "Development plans",
    "mentoring": "Mentoring and coaching",
    "learning_sets": "Action learning sets",
    "careers": "Your career: role history and reflections",
    "talk_to_someone_in_the_role": "Talk to someone in the role",
    "succession": "Succession: where you stand forward, talent conversations, posts you hold",
    "bilaterals": "Bilaterals: who you meet, your meetings and your notes in their logs",
    "networks": "Networks and forums: your memberships, topics, votes and notes",
    "notifications": "Reminders and e-mail choices",
    "sharing": "What you shared, and with whom",
    "audit": "Who has seen your records, and changes others made",
    "downloads": "Your downloads",
    "missing_files": "Documents we could not include",
}
LABELS = {
    "email": "E-mail address",
    "email_addresses": "E-mail addresses",
    "ip": "IP address",
    "url": "Link",
    "ods_code": "ODS code",
    "clinical_pas": "Programmed activities (PAs) for clinical work",
    "leadership_pas": "Programmed activities (PAs) for leadership work",
    "others": "Others (your raters, combined)",
    "others_by_group": "Others, by group",
    "so_what": "So what",
    "now_what": "Now what",
}
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def archive_write(*, collected: Collected, target: IO[bytes], storage: Storage, now: datetime) -> None:
    """Write the whole archive to `target`. A document missing from storage is listed in `missing_files`."""
    stamp = now.astimezone(LONDON).timetuple()[:6]
    missing: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in collected.files:
            try:
                with storage.open(item.name, "rb") as source, archive.open(_info(item.path, stamp), "w") as copy:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        copy.write(chunk)
            except FileNotFoundError:
                missing.append(item.path)
        data = {**collected.data, **({"missing_files": missing} if missing else {})}
        archive.writestr(_info("data.json", stamp), json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        archive.writestr(_info("README.txt", stamp), readme_text(data))
        archive.writestr(_info("summary.html", stamp), summary_html(data))


def _info(path: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def readme_text(data: dict[str, Any]) -> str:
    return render_to_string(
        "exports/archive/README.txt",
        {
            "format": data["format"],
            "generated_at": data["generated_at"],
            "portal_name": settings.PORTAL_NAME,
            "contact_email": settings.PORTAL_CONTACT_EMAIL,
        },
    )


def summary_html(data: dict[str, Any]) -> str:
    sections = [
        {"id": key.replace("_", "-"), "title": title, "body": value_html(data[key])}
        for key, title in SECTIONS.items()
        if key in data
    ]
    person = data["person"]
    return render_to_string(
        "exports/archive/summary.html",
        {
            "portal_name": settings.PORTAL_NAME,
            "name": f"{person['first_name']} {person['last_name']}".strip() or person["email"],
            "generated_at": _time(data["generated_at"]),
            "format": data["format"],
            "sections": sections,
        },
    )


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def value_html(value: Any, key: str = "") -> SafeString:
    """Any value of data.json as readable HTML: records as definition lists, lists of records as numbered cards."""
    if value is None or value == "" or value == [] or value == {}:
        return format_html('<span class="none">{}</span>', "None")
    if isinstance(value, bool):
        return format_html("{}", "Yes" if value else "No")
    if isinstance(value, dict):
        return _dict_html(value)
    if isinstance(value, list):
        return _list_html(value)
    if isinstance(value, str):
        return _text_html(value, key)
    return format_html("{}", value)


def _dict_html(value: dict[str, Any]) -> SafeString:
    if set(value) == {"code", "label"}:  # a choice: people read its words
        return format_html("{}", value["label"])
    rows = format_html_join(
        "", "<div><dt>{}</dt><dd>{}</dd></div>", ((label(k), value_html(v, k)) for k, v in value.items())
    )
    return format_html("<dl>{}</dl>", rows)


def _list_html(value: list[Any]) -> SafeString:
    if all(isinstance(item, dict) for item in value):
        return format_html(
            '<ol class="records">{}</ol>', format_html_join("", "<li>{}</li>", ((value_html(i),) for i in value))
        )
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((value_html(i),) for i in value)))


def _text_html(value: str, key: str) -> SafeString:
    if key == "file" and value.startswith("files/"):
        return format_html('<a href="{}">{}</a>', quote(value), value)
    if ISO_TIME.match(value):
        return format_html("{}", _time(value))
    if ISO_DAY.match(value):
        return format_html("{}", _day(value))
    if "\n" in value:
        return mark_safe(linebreaks(value, autoescape=True))  # noqa: S308 - escaped, then only <p> and <br> added
    return format_html("{}", value)


def _time(value: str) -> str:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(LONDON)
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M}"


def _day(value: str) -> str:
    moment = datetime.fromisoformat(value)
    return f"{moment.day} {moment:%B %Y}"
